"""Messages of the import (English source, translated at the time the report is made)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from haofuwu.core import identifiers

# Messages (English source, translated at the time the report is made).
UNKNOWN_KIND = gettext_lazy("Choose what to import: buildings, units or residents.")
MISSING_HEADERS = gettext_lazy(
    "Required columns are missing: %(columns)s. The header row must name the columns; download the template to "
    "see them."
)
NO_HEADER_ROW = gettext_lazy(
    "No header row was found in the first %(rows)s rows. Download the template to see the column names."
)
NO_DATA_ROWS = gettext_lazy("The file has a header row but no data rows.")
TOO_MANY_DATA_ROWS = gettext_lazy("The file has %(count)s data rows; at most %(limit)s can be imported at once.")
UNKNOWN_COLUMN = gettext_lazy("Unknown column; it was ignored.")
EXAMPLE_ROW_SKIPPED = gettext_lazy("The template's example row was skipped.")
REPEATED_COLUMN = gettext_lazy("This column appears twice; the second one was ignored.")
REQUIRED = gettext_lazy("This value is required.")
TOO_LONG = gettext_lazy("At most %(limit)s characters.")
NOT_A_WHOLE_NUMBER = gettext_lazy("Not a whole number.")
NOT_A_NUMBER = gettext_lazy("Not a number.")
TOO_SMALL = gettext_lazy("Must be at least %(limit)s.")
TOO_LARGE = gettext_lazy("Must be at most %(limit)s.")
TOO_MANY_DECIMALS = gettext_lazy("At most two decimal places.")
NOT_A_DATE = gettext_lazy("Not a date; write it as 2024-03-01.")
NOT_A_YEAR = gettext_lazy("Not a year between %(low)s and %(high)s.")
UNKNOWN_CHOICE = gettext_lazy("Unknown value; use one of: %(choices)s.")
UNKNOWN_TAGS = gettext_lazy("Unknown tag %(tags)s; use: %(choices)s.")
# The identifier messages are core's: one rule (and one message) for the API, the forms and the import.
BAD_PHONE = identifiers.BAD_PHONE
ID_AS_NUMBER = identifiers.ID_AS_NUMBER
ID_LENGTH = identifiers.ID_LENGTH
ID_OLD_FORMAT = identifiers.ID_OLD_FORMAT
ID_CHARACTERS = identifiers.ID_CHARACTERS
ID_BIRTH_DATE = identifiers.ID_BIRTH_DATE
ID_CHECK_DIGIT = identifiers.ID_CHECK_DIGIT
NO_FLOOR = gettext_lazy("Give the floor; it cannot be read from the room number.")
WRONG_PROJECT = gettext_lazy("This row is for project “%(row)s”, but you are importing into “%(project)s”.")
DUPLICATE_KEY = gettext_lazy("The same %(key)s appears in rows %(rows)s.")
NO_BUILDING = gettext_lazy("There is no building “%(name)s” in this project; import the buildings first.")
NO_UNIT = gettext_lazy("There is no household %(label)s in this project; import the households first.")
CONCURRENT_CHANGE = gettext_lazy("The project's registry changed while importing; run the import again.")
NOTHING_WRITTEN = gettext_lazy(
    "Nothing was written: %(count)s rows have errors. Correct them, or import only the valid rows."
)
