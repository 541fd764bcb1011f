"""Importing participants from CSV and Excel: read, map columns, check everything, then write.

The coordinator sees a full report before anything is written, and the write is all or
nothing. The steps are separate so the views can keep the parsed rows in the session
between them:

1. `reading.read_table` turns an uploaded file into an `ImportTable` (headers and rows,
   each row with the number the user sees in a spreadsheet), or raises `ImportFileError`;
2. `fields.propose_mapping` guesses which column holds which field from Dutch and English
   headers;
3. `checks.check_import` validates every row against the organisation and returns an
   `ImportPlan` with the problems (row, person, column, message) and the counts of what
   the import will do (worded in the template `registrations/import/_summary.html`);
4. `writing.import_participants` checks again inside one transaction and writes, or
   raises `ImportRejected` without writing anything.

Empty cells and unmapped fields leave what the organisation already knows about a person
unchanged; the programme's registration takes a snapshot of the result.

Only the organisation's active members are registered at once. Everyone else in the file
(a new person, someone with a Kring account elsewhere, a switched-off member) gets an
invitation that carries their imported details: nothing is granted, no membership and no
registration, until they accept. The coordinator chooses when the invitations are mailed.
The report speaks only of the organisation's own members, so it does not tell which
addresses have a Kring account.
"""

from .checks import ImportPlan, ImportRejected, PersonRow, Problem, check_import
from .fields import (
    EXPORTED_FIELDS,
    FIELDS,
    FIELDS_BY_KEY,
    ColumnMapping,
    ImportField,
    propose_mapping,
)
from .reading import MAX_ROWS, ImportFileError, ImportTable, read_table
from .writing import (
    ImportResult,
    import_participants,
    invitations_to_send,
    join_imported_programme,
    members_without_a_way_in,
    send_import_invitations,
    ways_in,
)

__all__ = [
    "EXPORTED_FIELDS",
    "FIELDS",
    "FIELDS_BY_KEY",
    "MAX_ROWS",
    "ColumnMapping",
    "ImportField",
    "ImportFileError",
    "ImportPlan",
    "ImportRejected",
    "ImportResult",
    "ImportTable",
    "PersonRow",
    "Problem",
    "check_import",
    "import_participants",
    "invitations_to_send",
    "join_imported_programme",
    "members_without_a_way_in",
    "propose_mapping",
    "read_table",
    "send_import_invitations",
    "ways_in",
]
