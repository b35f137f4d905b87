"""Which store errors retry a whole unit of work: the lost races of MongoDB and of the embedded
server (a docs example once answered 503 for a contract whose upsert met "database is locked"
on the SQLite engine, 61 ms into the request); anything else is answered at once."""

from pymongo.errors import DuplicateKeyError, OperationFailure

from services.common import mongo


def test_lost_races_are_transient_and_other_errors_are_not():
    labelled = OperationFailure("WriteConflict", 112, {"errorLabels": ["TransientTransactionError"]})
    races = [labelled, OperationFailure("Write conflict during transaction commit"),
             OperationFailure("SQLiteEngine already has an active transaction bound to another session"),
             OperationFailure("database is locked")]
    others = [DuplicateKeyError("E11000 duplicate key"), OperationFailure("unknown operator: $foo")]
    assert [mongo.is_transient(e) for e in races + others] == [True, True, True, True, False, False]
