"""The production server: waitress, with limits that suit a public deployment.

waitress's defaults keep an idle or half-sent connection for 120 s and stop
accepting at 100 open connections, so about a hundred idle sockets lock real
clients out for two minutes.  Here idle connections are closed after
``channel_timeout`` seconds (checked every ``cleanup_interval``), each process
holds up to ``connection_limit`` connections (polled with ``poll(2)``: ``select``
stops at file descriptor 1024) and a request may not carry a body (the API is
GET only).

waitress's idle timeout counts from the last byte received, so a client sending
a header line every few seconds keeps its connection for ever.  Two more bounds
(:class:`Server`):

* a connection has :data:`REQUEST_TIMEOUT` seconds, from when it opened or its
  last response was sent, to deliver its next request whole, however slowly the
  bytes trickle in; then it is closed;
* at the connection limit, the connections that have waited longest for their
  client's request are closed, :data:`MAKE_ROOM` at a time, so that new clients are
  still accepted (waitress would stop accepting until some connection closed).

A serving process builds the tables derived from its index before it listens
(``web.index_access.warm_up``): until then connections are refused, after that
no request waits for a table.  tests/test_server_limits.py holds idle and
half-sent sockets open, tests/test_hostile_server.py trickling ones, and both
check that searches still get through.
"""
from __future__ import annotations

import logging
import os
import resource
import signal
import socket
import time

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher

from search.memory import give_back_free_memory, limit_malloc_arenas
from web.index_access import warm_up

#: waitress settings of ``akhbar serve`` (waitress's defaults in brackets).
SERVER_SETTINGS = {
    "channel_timeout": 10,        # [120] s without a byte from the client before its connection is closed
    "cleanup_interval": 2,        # [30] s between checks for such connections
    "connection_limit": 1000,     # [100] open connections per process before accepting pauses
    "asyncore_use_poll": True,    # [False] poll(2), not select(2), which fails past descriptor 1024
    "max_request_header_size": 32 * 1024,  # [256 KiB] a search URL is at most a few KiB
    "max_request_body_size": 64 * 1024,    # [1 GiB] GET and HEAD only: no body is read
}
#: Seconds a connection has, from when it opened or its last response was sent, to deliver its
#: next request whole (checked every ``cleanup_interval``).  No limit of waitress's.
REQUEST_TIMEOUT = 15
#: At the connection limit: how many of the connections waiting longest for a request are closed
#: at a time, and how long (s) a connection must have waited to be one of them.
MAKE_ROOM = 32
MAKE_ROOM_AFTER = 1.0


class Channel(HTTPChannel):
    """waitress's connection, which knows since when it has waited for its client's next request."""

    sent_at = 0.0  # when a response's bytes were last sent

    def _flush_some(self, do_close=True):
        sent = super()._flush_some(do_close=do_close)
        if sent:
            self.sent_at = time.time()
        return sent

    def waiting_since(self) -> float | None:
        """When the connection began to wait for its client's next request (it opened, or its last
        response's last bytes were sent); None while a request is served or a response sent,
        or once it is closing."""
        if self.requests or self.total_outbufs_len or self.will_close or self.close_when_flushed:
            return None
        return max(self.creation_time, self.sent_at)


class Server(TcpWSGIServer):
    """waitress's server on a socket given, with the bounds on slow clients described above."""

    channel_class = Channel

    def maintenance(self, now):
        super().maintenance(now)  # idle connections (channel_timeout)
        cutoff = now - REQUEST_TIMEOUT
        for channel in list(self.active_channels.values()):
            since = channel.waiting_since()
            if since is not None and since < cutoff:
                channel.will_close = True

    warned_at = 0.0  # when the connection limit was last logged

    def readable(self):
        """Whether to accept connections now (waitress's, with :meth:`make_room` at the limit, which
        is logged at most once a minute: under a flood of connections it is reached again and again)."""
        now = time.time()
        if now >= self.next_channel_cleanup:
            self.next_channel_cleanup = now + self.adj.cleanup_interval
            self.maintenance(now)
        if not self.accepting:
            return False
        if len(self._map) < self.adj.connection_limit:
            return True
        self.make_room(now)
        if now - self.warned_at > 60:
            self.warned_at = now
            self.logger.warning("%d connections open, the limit: closing those that have waited longest for a request",
                                len(self.active_channels))
        return False

    def make_room(self, now: float) -> None:
        """Close the connections that have waited longest for a request (the main loop closes
        them on its next turn), up to :data:`MAKE_ROOM` closing at a time."""
        channels = list(self.active_channels.values())
        wanted = MAKE_ROOM - sum(1 for c in channels if c.will_close or c.close_when_flushed)
        if wanted <= 0:
            return
        waiting = [(since, c) for c in channels if (since := c.waiting_since()) is not None and since < now - MAKE_ROOM_AFTER]
        waiting.sort(key=lambda pair: pair[0])
        for _since, channel in waiting[:wanted]:
            channel.will_close = True


def create_server(app, sock: socket.socket, threads: int, **settings) -> Server:
    """A server for ``app`` on ``sock`` (bound; the server listens on it) with :data:`SERVER_SETTINGS`
    (``settings``: other waitress settings, for tests)."""
    adj = Adjustments(threads=threads, ident="akhbar", **{**SERVER_SETTINGS, **settings})
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(threads)
    return Server(app, map={}, _sock=sock, dispatcher=dispatcher, adj=adj, bind_socket=False,
                  sockinfo=(sock.family, sock.type, sock.proto, sock.getsockname()))


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` and not yet listening: a connection is refused, not left
    waiting, until a serving process has built its tables and listens."""
    family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    return sock


def _raise_file_limit(wanted: int) -> None:
    """Let this process open ``wanted`` descriptors if the hard limit allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def _serve(app, sock: socket.socket, threads: int) -> None:
    """One serving process: limit its malloc arenas, build its tables and return the memory that
    freed to the system, then listen on ``sock`` and serve until stopped."""
    limit_malloc_arenas()
    warm_up(app)
    give_back_free_memory()
    logging.basicConfig()  # waitress's warnings (the connection limit reached) to stderr
    server = create_server(app, sock, threads)
    server.print_listen("Serving on http://{}:{}")
    server.run()


def serve_app(app, host: str, port: int, *, threads: int, processes: int = 1) -> int:
    """Serve ``app`` until stopped; with ``processes`` > 1, pre-forked processes on one socket."""
    _raise_file_limit(SERVER_SETTINGS["connection_limit"] + 64)
    sock = bind(host, port)  # a port in use fails now, not after the tables are built
    if processes <= 1:
        _serve(app, sock, threads)
        return 0
    return _serve_processes(app, sock, threads, processes)


def _serve_processes(app, sock: socket.socket, threads: int, processes: int) -> int:
    """Pre-fork: one socket, ``processes`` waitress processes accepting on it.

    Python runs one thread at a time per process, so a search server uses one core
    per process.  The parent forwards SIGTERM/SIGINT to the workers and stops them
    all if one dies (a supervisor such as systemd restarts the service).
    """
    children = []
    for _ in range(processes):
        pid = os.fork()
        if pid == 0:  # worker: serve until told to stop
            signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
            _serve(app, sock, threads)  # each process opens its own engine (never across a fork)
            os._exit(0)
        children.append(pid)
    sock.close()

    def stop(*_):
        for child in children:
            try:
                os.kill(child, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    _pid, status = os.wait()  # the first worker to end ends the service
    stop()
    for _ in children[1:]:
        try:
            os.wait()
        except ChildProcessError:
            break
    return 0 if os.waitstatus_to_exitcode(status) in (0, -signal.SIGTERM) else 1
