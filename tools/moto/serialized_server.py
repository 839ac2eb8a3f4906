"""moto server with request processing serialized and moto's instance tracker switched off.

Serialized requests: moto implements TransactWriteItems by deep-copying each table, applying the
writes and restoring the copy when a condition fails. Under concurrent requests (moto_server is
threaded) that restore can erase or resurrect other clients' writes, so cancelled transactions
leave partial state behind. Real DynamoDB transactions are serializable; processing one request at
a time restores that guarantee. Connections are still accepted concurrently (threaded server),
only the handler is locked. See docs/decisions/0002-moto-serialized-requests.md.

No instance tracker: every moto model (DynamoDB Item and Table, S3 FakeKey, ...) derives from
BaseModel, whose __new__ appends each new instance to a class-level list
(`instances_tracked`) that only the /moto-api/data.json dashboard reads. Nothing ever removes an
entry, so no model object is ever freed: a TransactWriteItems deep-copies every table it touches
(copy.deepcopy creates each Item through __new__), and all those copies stay reachable through
the tracker. That made moto grow by the size of the table on every transaction (9.5 GB after
~8,100 transactions). We create instances without tracking them; the dashboard lists nothing,
everything else is unchanged. See docs/decisions/0006-moto-instance-tracker-off.md.

Transactions back up only what they change: moto backs up every table a TransactWriteItems names
with copy.deepcopy before applying it, so each transaction cost time in proportion to the whole
table (about 0.7 ms per stored item on the test machines: 4 s per transaction at 6,000 items).
Requests being serialized, a transaction changes only the items it names: those are saved (deep
copies, or "absent") before it runs and put back if it fails; the tables are not copied. See docs/decisions/0002-moto-serialized-requests.md.

Usage: python serialized_server.py HOST PORT
"""
import copy
import os
import signal
import sys
import threading

from werkzeug.serving import run_simple

from moto.core.common_models import BaseModel
from moto.dynamodb import models as dynamodb_models
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.server import MotoRequestHandler

LOCK = threading.Lock()


def _new_untracked(cls, *args, **kwargs):
    # What BaseModel.__new__ does, minus `cls.instances_tracked.append(instance)`. super() keeps
    # models that also derive from dict working.
    return super(BaseModel, cls).__new__(cls)


def stop_tracking_instances() -> None:
    BaseModel.__new__ = staticmethod(_new_untracked)


def _item_key(table, op_type, op):
    """The (hash, range) index key of the item an operation names."""
    attrs = op["Item"] if op_type == "Put" else op["Key"]
    hash_value = DynamoType(attrs[table.hash_key_attr])
    range_value = DynamoType(attrs[table.range_key_attr]) if table.has_range_key else None
    return hash_value, range_value


def _saved_items(backend, transact_items):
    """Each item the transaction names, as it is now (a deep copy, or None when absent)."""
    saved = {}
    for entry in transact_items:
        for op_type, op in entry.items():
            try:
                table = backend.get_table(op["TableName"])
                hash_value, range_value = _item_key(table, op_type, op)
            except Exception:
                continue  # moto itself reports what is wrong with this operation
            key = (table.name, hash_value, range_value)
            if key not in saved:
                saved[key] = (table, copy.deepcopy(table.get_item(hash_value, range_value)))
    return saved


def _restore(saved):
    for (_, hash_value, range_value), (table, item) in saved.items():
        if table.has_range_key:
            if item is None:
                table.items[hash_value].pop(range_value, None)
            else:
                table.items[hash_value][range_value] = item
        elif item is None:
            table.items.pop(hash_value, None)
        else:
            table.items[hash_value] = item


class _NoTableCopy:
    """Stands in for the `copy` module inside moto's DynamoDB models during one TransactWriteItems:
    a table's "backup" is the table itself (its rollback assignment changes nothing); the items are
    restored by back_up_only_changed_items."""

    def deepcopy(self, value, *args):
        return value if isinstance(value, Table) else copy.deepcopy(value, *args)

    def __getattr__(self, name):
        return getattr(copy, name)


def back_up_only_changed_items() -> None:
    original = DynamoDBBackend.transact_write_items

    def transact_write_items(self, transact_items):
        saved = _saved_items(self, transact_items)
        # Safe to swap a module global: requests are processed one at a time (LOCK).
        dynamodb_models.copy = _NoTableCopy()
        try:
            return original(self, transact_items)
        except BaseException:
            _restore(saved)
            raise
        finally:
            dynamodb_models.copy = copy

    DynamoDBBackend.transact_write_items = transact_write_items


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    os.environ.setdefault("MOTO_PORT", str(port))
    stop_tracking_instances()
    back_up_only_changed_items()
    app = DomainDispatcherApplication(create_backend_app)

    def serialized(environ, start_response):
        with LOCK:
            # Consume the body inside the lock: moto may build it lazily.
            return list(app(environ, start_response))

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    run_simple(host, port, serialized, threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
