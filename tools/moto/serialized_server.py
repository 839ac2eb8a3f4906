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

Usage: python serialized_server.py HOST PORT
"""
import os
import signal
import sys
import threading

from werkzeug.serving import run_simple

from moto.core.common_models import BaseModel
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.server import MotoRequestHandler

LOCK = threading.Lock()


def _new_untracked(cls, *args, **kwargs):
    # What BaseModel.__new__ does, minus `cls.instances_tracked.append(instance)`. super() keeps
    # models that also derive from dict working.
    return super(BaseModel, cls).__new__(cls)


def stop_tracking_instances() -> None:
    BaseModel.__new__ = staticmethod(_new_untracked)


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    os.environ.setdefault("MOTO_PORT", str(port))
    stop_tracking_instances()
    app = DomainDispatcherApplication(create_backend_app)

    def serialized(environ, start_response):
        with LOCK:
            # Consume the body inside the lock: moto may build it lazily.
            return list(app(environ, start_response))

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    run_simple(host, port, serialized, threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
