"""Small, pure value parsers of the extract stage.

Each turns one kind of documentation text into plain Python values (str, int,
datetime.time, frozen dataclasses) and raises supportgraph.errors.ExtractError
with what it was given and what it expected when it cannot:

* phone — phone numbers → E.164 (phonenumbers)
* hours — opening hours → schema.org-shaped OpeningHours
* duration — response targets → ISO 8601 durations / business days
* language — language names and locales → BCP 47 (langcodes)
* country — country pages → ISO 3166-1 alpha-2 (pycountry)
* timezone — zone names and countries → IANA zones (tzdata)
"""

from supportgraph.values.country import (
    COUNTRIES_WITHOUT_ISO_CODE,
    SHARED_CODES,
    CountryRef,
    country_from_page,
    country_name,
)
from supportgraph.values.duration import ResponseTarget, parse_follow_up, parse_response_target
from supportgraph.values.hours import (
    DAYS,
    END_OF_DAY,
    OpeningHours,
    find_clock_times,
    is_public_holiday_closure,
    parse_days,
    parse_hours,
    parse_hours_with_exceptions,
    parse_language_hours,
    parse_time,
    restate_times,
    split_hours_sentence,
)
from supportgraph.values.language import (
    LanguageHours,
    label_tags,
    language_tag,
    locale_language_tag,
    split_language_labels,
    split_language_line,
    split_languages,
)
from supportgraph.values.phone import PhoneNumber, corrected_phone, find_phones, parse_phone
from supportgraph.values.timezone import CAPITAL_ZONES, country_time_zone, time_zone_from_text

__all__ = [
    "CAPITAL_ZONES",
    "COUNTRIES_WITHOUT_ISO_CODE",
    "DAYS",
    "END_OF_DAY",
    "SHARED_CODES",
    "CountryRef",
    "LanguageHours",
    "OpeningHours",
    "PhoneNumber",
    "ResponseTarget",
    "corrected_phone",
    "country_from_page",
    "country_name",
    "country_time_zone",
    "find_clock_times",
    "find_phones",
    "is_public_holiday_closure",
    "label_tags",
    "language_tag",
    "locale_language_tag",
    "parse_days",
    "parse_follow_up",
    "parse_hours",
    "parse_hours_with_exceptions",
    "parse_language_hours",
    "parse_phone",
    "parse_response_target",
    "parse_time",
    "restate_times",
    "split_hours_sentence",
    "split_language_labels",
    "split_language_line",
    "split_languages",
    "time_zone_from_text",
]
