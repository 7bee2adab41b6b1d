"""No lost update in the served app: two clerks read the same record, both send a change with
the ETag they read in If-Match, at once, to either worker; one change is made, the other is
answered 412 with the record's current ETag."""

import threading

import pytest

from tests import factories as f
from tests.deployed.ledger import Registry

KINDS = {
    "visits": ("positions_opened", lambda r: f.visit(r.universities[2], r.employers[2])),
    "vacancies": (
        "headcount",
        lambda r: f.vacancy(r.employers[3], university_code=r.universities[2]),
    ),
    "events": ("attendance", lambda r: f.event(university_code=r.universities[2], province="12")),
}


def _at_once(served, token: str, url: str, changes: list[dict], etag: str) -> list:
    answers: list = [None] * len(changes)

    def send(number: int) -> None:
        with served.client(token) as client:
            answers[number] = client.patch(url, json=changes[number], headers={"If-Match": etag})

    senders = [threading.Thread(target=send, args=(n,)) for n in range(len(changes))]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(60)
    return answers


@pytest.mark.parametrize("kind", list(KINDS))
def test_of_two_changes_sent_at_once_on_the_same_etag_one_is_made(
    served, national, registry: Registry, kind
):
    measure, body = KINDS[kind]
    with served.client(national) as client:
        record = f.created(client.post(f"/api/v1/{kind}", json=body(registry)))
        url = f"/api/v1/{kind}/{record['id']}"
        for round in range(5):
            read = client.get(url)
            etag = read.headers["ETag"]
            changes = [{measure: 100 + 2 * round}, {measure: 101 + 2 * round}]
            answers = _at_once(served, national, url, changes, etag)
            assert sorted(a.status_code for a in answers) == [200, 412], [a.text for a in answers]
            made = next(a for a in answers if a.status_code == 200)
            refused = next(a for a in answers if a.status_code == 412)
            assert refused.json()["current_etag"] == made.headers["ETag"]
            assert refused.headers["ETag"] == made.headers["ETag"]
            now = client.get(url)
            assert now.json() == made.json() and now.headers["ETag"] == made.headers["ETag"]
        stale = client.delete(url, headers={"If-Match": etag})
        assert stale.status_code == 412
        assert client.delete(url, headers={"If-Match": now.headers["ETag"]}).status_code == 204
