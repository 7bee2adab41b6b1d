"""No log line carries a full ID number or phone: every record is scrubbed as it is made,
whoever logs it (the service, uvicorn's access log with a URL's query, a library)."""

import logging
import re

from app.privacy.numbers import mask_id_number, mask_phone

# Stricter than numbers.scrub: in a log a number may follow other digits (a URL's %-escapes),
# and masking a little too much there harms nobody.
_ID = re.compile(r"\d{17}[\dXx](?!\d)")
_PHONE = re.compile(r"1[3-9]\d{9}(?!\d)")


def scrub_log(text: str) -> str:
    text = _ID.sub(lambda found: mask_id_number(found.group().upper()), text)
    return _PHONE.sub(lambda found: mask_phone(found.group()), text)


def _scrubbed(value: object) -> object:
    return scrub_log(value) if isinstance(value, str) else value


def install_log_scrubbing() -> None:
    """Make every log record scrubbed of numbers (once per process)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "scrubs_personal_data", False):
        return

    def scrubbing_factory(*args, **kwargs) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        record.msg = _scrubbed(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_scrubbed(value) for value in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _scrubbed(value) for key, value in record.args.items()}
        return record

    scrubbing_factory.scrubs_personal_data = True
    logging.setLogRecordFactory(scrubbing_factory)
