"""Messages of the import (English source, translated at the time the report is made)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

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
BAD_PHONE = gettext_lazy(
    "Not a phone number: use an 11-digit mobile number or a landline with area code (0531-88888888)."
)
ID_AS_NUMBER = gettext_lazy(
    "The ID number was stored as a number and lost its last digits. Format the column as text and type it again."
)
ID_LENGTH = gettext_lazy("An ID number has 18 characters.")
ID_OLD_FORMAT = gettext_lazy("15-digit ID numbers are no longer valid; use the 18-digit number.")
ID_CHARACTERS = gettext_lazy("An ID number has 17 digits followed by a digit or X.")
ID_BIRTH_DATE = gettext_lazy("The date of birth in the ID number is not a valid date.")
ID_CHECK_DIGIT = gettext_lazy("The check digit is wrong (GB 11643); the number has a typing error.")
NO_FLOOR = gettext_lazy("Give the floor; it cannot be read from the room number.")
WRONG_PROJECT = gettext_lazy("This row is for project “%(row)s”, but you are importing into “%(project)s”.")
DUPLICATE_KEY = gettext_lazy("The same %(key)s appears in rows %(rows)s.")
NO_BUILDING = gettext_lazy("There is no building “%(name)s” in this project; import the buildings first.")
NO_UNIT = gettext_lazy("There is no household %(label)s in this project; import the households first.")
CONCURRENT_CHANGE = gettext_lazy("The project's registry changed while importing; run the import again.")
NOTHING_WRITTEN = gettext_lazy(
    "Nothing was written: %(count)s rows have errors. Correct them, or import only the valid rows."
)
