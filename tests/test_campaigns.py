import datetime as dt

import pytest
from sqlalchemy import func, select

from app.campaigns import service
from app.campaigns.models import Campaign
from app.campaigns.schemas import CampaignCreate, CampaignUpdate
from app.core.errors import AlreadyExists, InvalidInput, NotFound, StillReferenced, UnknownReference
from app.core.pagination import PageParams
from tests import factories as f

API = "/api/v1/campaigns"


def campaign(
    slug: str = "sprint-2023",
    name: str = "2023届百日冲刺",
    start_date: str = "2023-05-01",
    end_date: str = "2023-08-31",
    **extra,
) -> dict:
    return {"slug": slug, "name": name, "start_date": start_date, "end_date": end_date, **extra}


def sprint_2022(**extra) -> dict:
    return campaign("sprint-2022", "2022届百日冲刺", "2022-05-01", "2022-08-31", **extra)


# --- create, read, update, delete ---------------------------------------------------------


def test_create_read_update_delete(client):
    body = f.created(client.post(API, json=campaign()))
    assert body == {
        "slug": "sprint-2023",
        "name": "2023届百日冲刺",
        "start_date": "2023-05-01",
        "end_date": "2023-08-31",
        "previous": None,
    }
    assert client.get(f"{API}/sprint-2023").json() == body

    updated = client.patch(
        f"{API}/sprint-2023", json={"name": "百日冲刺", "end_date": "2023-09-10"}
    )
    assert updated.status_code == 200, updated.text
    assert updated.json() == {**body, "name": "百日冲刺", "end_date": "2023-09-10"}
    assert client.get(f"{API}/sprint-2023").json() == updated.json()

    assert client.delete(f"{API}/sprint-2023").status_code == 204
    f.assert_problem(client.get(f"{API}/sprint-2023"), 404)
    assert f.total(client, API) == 0


def test_slug_is_trimmed_and_folded_to_lower_case(client):
    body = f.created(client.post(API, json=campaign(slug=" Sprint-2023 ")))
    assert body["slug"] == "sprint-2023"
    assert client.get(f"{API}/SPRINT-2023").json() == body


def test_one_day_campaign_is_allowed(client):
    body = f.created(client.post(API, json=campaign(end_date="2023-05-01")))
    assert (body["start_date"], body["end_date"]) == ("2023-05-01", "2023-05-01")


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_unknown_campaign_is_404(client, method):
    f.created(client.post(API, json=campaign()))
    kwargs = {"json": {"name": "x"}} if method == "PATCH" else {}
    problem = f.assert_problem(client.request(method, f"{API}/sprint-2024", **kwargs), 404)
    assert "sprint-2024" in problem["detail"]
    assert f.total(client, API) == 1


# --- dates --------------------------------------------------------------------------------


def test_end_before_start_is_422_naming_end_date(client):
    problem = f.assert_problem(
        client.post(API, json=campaign(start_date="2023-05-01", end_date="2023-04-30")),
        422,
        "end_date",
    )
    assert problem["detail"] == "end_date (2023-04-30) is before start_date (2023-05-01)."
    assert f.total(client, API) == 0


@pytest.mark.parametrize(
    "payload",
    [
        {"end_date": "2023-04-30"},
        {"start_date": "2023-09-01"},
        {"start_date": "2023-09-01", "end_date": "2023-08-31"},
        {"name": "改名", "end_date": "2022-12-31"},  # the valid name is not kept either
    ],
)
def test_patch_putting_end_before_start_is_422_naming_end_date(client, payload):
    body = f.created(client.post(API, json=campaign()))
    f.assert_problem(client.patch(f"{API}/sprint-2023", json=payload), 422, "end_date")
    assert client.get(f"{API}/sprint-2023").json() == body


def test_patch_moving_both_dates_together_is_allowed(client):
    f.created(client.post(API, json=campaign()))
    body = client.patch(
        f"{API}/sprint-2023", json={"start_date": "2023-09-01", "end_date": "2023-12-31"}
    ).json()
    assert (body["start_date"], body["end_date"]) == ("2023-09-01", "2023-12-31")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("start_date", "2023/05/01"),
        ("start_date", "2023-02-30"),
        ("start_date", "2023年5月1日"),
        ("start_date", ""),
        ("start_date", None),
        ("end_date", "yesterday"),
        ("end_date", "2023-08-31T12:00:00"),
        ("end_date", None),
    ],
)
def test_bad_date_is_422_naming_it(client, field, value):
    f.assert_problem(client.post(API, json=campaign(**{field: value})), 422, field)
    assert f.total(client, API) == 0


# --- slug ---------------------------------------------------------------------------------


def test_duplicate_slug_is_409_pointing_at_existing(client):
    f.created(client.post(API, json=campaign()))
    problem = f.assert_problem(
        client.post(API, json=campaign(slug="SPRINT-2023", name="另一个")), 409, "slug"
    )
    assert problem["type"] == "urn:jobfair:problem:already-exists"
    assert problem["existing"] == f"{API}/sprint-2023"
    assert f.total(client, API) == 1
    assert client.get(f"{API}/sprint-2023").json()["name"] == "2023届百日冲刺"


@pytest.mark.parametrize(
    "slug",
    [
        "-sprint",
        "sprint_2023",
        "sprint 2023",
        "sprint/2023",
        "sprint.2023",
        "百日冲刺",
        "",
        "   ",
        "a" * 65,
        2023,
        None,
    ],
)
def test_bad_slug_is_422_naming_slug(client, slug):
    f.assert_problem(client.post(API, json=campaign(slug=slug)), 422, "slug")
    assert f.total(client, API) == 0


def test_slug_of_64_characters_is_allowed(client):
    slug = "a" * 64
    assert f.created(client.post(API, json=campaign(slug=slug)))["slug"] == slug


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
@pytest.mark.parametrize("bad", ["-x", "a_b", "a" * 65, "a%00b"])
def test_malformed_slug_in_path_is_422_naming_slug(client, method, bad):
    kwargs = {"json": {"name": "x"}} if method == "PATCH" else {}
    problem = f.assert_problem(client.request(method, f"{API}/{bad}", **kwargs), 422, "slug")
    assert problem["errors"][0]["in"] == "path"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"slug": "sprint-2099"}, "slug"),  # the slug is the identity and cannot change
        ({"name": None}, "name"),
        ({"start_date": None}, "start_date"),
        ({"end_date": None}, "end_date"),
        ({"name": "  "}, "name"),
        ({"name": "名\x00"}, "name"),
        ({"previous": "not a slug"}, "previous"),
    ],
)
def test_bad_patch_is_422_naming_the_field_and_changes_nothing(client, payload, field):
    body = f.created(client.post(API, json=campaign()))
    f.assert_problem(client.patch(f"{API}/sprint-2023", json=payload), 422, field)
    assert client.get(f"{API}/sprint-2023").json() == body


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", ""), ("name", "名" * 201), ("name", None), ("target", 2_900_000)],
)
def test_bad_field_on_create_is_422_naming_it(client, field, value):
    f.assert_problem(client.post(API, json=campaign() | {field: value}), 422, field)
    assert f.total(client, API) == 0


# --- previous -----------------------------------------------------------------------------


def test_previous_names_an_existing_campaign(client):
    f.created(client.post(API, json=sprint_2022()))
    body = f.created(client.post(API, json=campaign(previous="Sprint-2022")))
    assert body["previous"] == "sprint-2022"
    assert client.get(f"{API}/sprint-2023").json()["previous"] == "sprint-2022"


def test_unknown_previous_is_422_naming_previous(client):
    problem = f.assert_problem(
        client.post(API, json=campaign(previous="sprint-2022")), 422, "previous"
    )
    assert problem["type"] == "urn:jobfair:problem:unknown-reference"
    assert f.total(client, API) == 0


def test_patch_to_unknown_previous_is_422_and_changes_nothing(client):
    body = f.created(client.post(API, json=campaign()))
    f.assert_problem(
        client.patch(f"{API}/sprint-2023", json={"name": "改名", "previous": "sprint-2022"}),
        422,
        "previous",
    )
    assert client.get(f"{API}/sprint-2023").json() == body


def test_patch_sets_and_clears_previous(client):
    f.created(client.post(API, json=sprint_2022()))
    f.created(client.post(API, json=campaign()))
    linked = client.patch(f"{API}/sprint-2023", json={"previous": "sprint-2022"})
    assert linked.json()["previous"] == "sprint-2022"
    cleared = client.patch(f"{API}/sprint-2023", json={"previous": None})
    assert cleared.json()["previous"] is None
    assert client.get(f"{API}/sprint-2023").json()["previous"] is None


def test_campaign_cannot_be_its_own_previous(client):
    body = f.created(client.post(API, json=campaign()))
    f.assert_problem(
        client.patch(f"{API}/sprint-2023", json={"previous": "sprint-2023"}), 422, "previous"
    )
    assert client.get(f"{API}/sprint-2023").json() == body


def test_previous_cannot_form_a_two_campaign_cycle(client):
    f.created(client.post(API, json=sprint_2022()))
    f.created(client.post(API, json=campaign(previous="sprint-2022")))
    problem = f.assert_problem(
        client.patch(f"{API}/sprint-2022", json={"previous": "sprint-2023"}), 422, "previous"
    )
    assert problem["type"] == "urn:jobfair:problem:validation-error"
    assert client.get(f"{API}/sprint-2022").json()["previous"] is None


def test_previous_cannot_form_a_longer_cycle(client):
    f.created(client.post(API, json=campaign("c2021", "2021", "2021-05-01", "2021-08-31")))
    f.created(client.post(API, json=sprint_2022(previous="c2021")))
    f.created(client.post(API, json=campaign(previous="sprint-2022")))
    f.assert_problem(
        client.patch(f"{API}/c2021", json={"previous": "sprint-2023"}), 422, "previous"
    )
    assert client.get(f"{API}/c2021").json()["previous"] is None


def test_a_chain_without_cycle_is_allowed(client):
    f.created(client.post(API, json=campaign("c2021", "2021", "2021-05-01", "2021-08-31")))
    f.created(client.post(API, json=sprint_2022()))
    f.created(client.post(API, json=campaign(previous="sprint-2022")))
    body = client.patch(f"{API}/sprint-2022", json={"previous": "c2021"}).json()
    assert body["previous"] == "c2021"


def test_delete_refused_while_another_names_it_as_previous(client):
    f.created(client.post(API, json=sprint_2022()))
    f.created(client.post(API, json=campaign(previous="sprint-2022")))

    problem = f.assert_problem(client.delete(f"{API}/sprint-2022"), 409)
    assert problem["type"] == "urn:jobfair:problem:still-referenced"
    assert problem["referenced_by"] == {"campaigns comparing with it": 1}
    assert client.get(f"{API}/sprint-2022").status_code == 200
    assert f.total(client, API) == 2

    client.patch(f"{API}/sprint-2023", json={"previous": None})
    assert client.delete(f"{API}/sprint-2022").status_code == 204
    assert f.total(client, API) == 1


def test_delete_of_the_later_campaign_is_allowed(client):
    f.created(client.post(API, json=sprint_2022()))
    f.created(client.post(API, json=campaign(previous="sprint-2022")))
    assert client.delete(f"{API}/sprint-2023").status_code == 204
    assert client.delete(f"{API}/sprint-2022").status_code == 204
    assert f.total(client, API) == 0


# --- list ---------------------------------------------------------------------------------


def test_list_is_ordered_by_start_date_and_pages(client):
    f.created(client.post(API, json=campaign()))
    f.created(client.post(API, json=campaign("c2021", "2021", "2021-05-01", "2021-08-31")))
    f.created(client.post(API, json=sprint_2022()))
    page = client.get(API).json()
    assert page["total"] == 3
    assert [c["slug"] for c in page["items"]] == ["c2021", "sprint-2022", "sprint-2023"]
    second = client.get(API, params={"limit": 1, "offset": 1}).json()
    assert (second["total"], second["limit"], second["offset"]) == (3, 1, 1)
    assert [c["slug"] for c in second["items"]] == ["sprint-2022"]
    assert client.get(API, params={"offset": 3}).json()["items"] == []


# --- service functions --------------------------------------------------------------------


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Campaign))


def test_service_create_get_update_delete(session):
    service.create_campaign(session, CampaignCreate(**sprint_2022()))
    created = service.create_campaign(session, CampaignCreate(**campaign(previous="sprint-2022")))
    assert created.previous == "sprint-2022"
    with pytest.raises(AlreadyExists):
        service.create_campaign(session, CampaignCreate(**campaign(slug="Sprint-2023")))

    service.update_campaign(session, "sprint-2023", CampaignUpdate(end_date=dt.date(2023, 9, 1)))
    assert service.get_campaign(session, "sprint-2023").end_date == dt.date(2023, 9, 1)
    page = service.list_campaigns(session, PageParams(limit=1, offset=0))
    assert (page["total"], [c.slug for c in page["items"]]) == (2, ["sprint-2022"])

    service.delete_campaign(session, "sprint-2023")
    service.delete_campaign(session, "sprint-2022")
    assert _count(session) == 0
    with pytest.raises(NotFound):
        service.get_campaign(session, "sprint-2023")


def test_service_refuses_bad_dates_unknown_previous_and_cycles(session):
    with pytest.raises(InvalidInput) as raised:
        service.create_campaign(session, CampaignCreate(**campaign(end_date="2023-04-01")))
    assert raised.value.errors[0]["field"] == "end_date"
    with pytest.raises(UnknownReference):
        service.create_campaign(session, CampaignCreate(**campaign(previous="sprint-2022")))
    assert _count(session) == 0

    service.create_campaign(session, CampaignCreate(**sprint_2022()))
    service.create_campaign(session, CampaignCreate(**campaign(previous="sprint-2022")))
    with pytest.raises(InvalidInput) as raised:
        service.update_campaign(session, "sprint-2022", CampaignUpdate(previous="sprint-2023"))
    assert raised.value.errors[0]["field"] == "previous"


def test_service_refuses_delete_of_a_previous_campaign(session):
    service.create_campaign(session, CampaignCreate(**sprint_2022()))
    service.create_campaign(session, CampaignCreate(**campaign(previous="sprint-2022")))
    with pytest.raises(StillReferenced):
        service.delete_campaign(session, "sprint-2022")
    assert _count(session) == 2
