"""A TCP proxy the test controls, between the served app and its PostgreSQL: `cut` drops every
connection through it and refuses new ones, as a database server that went away does;
`restore` lets connections through again."""

import contextlib
import socket
import threading


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.listener.settimeout(0.1)
        self.open = threading.Event()
        self.open.set()
        self.closing = threading.Event()
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.closing.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if not self.open.is_set():
                _reset(client)  # refused, as by a host with nothing listening
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _reset(client)
                continue
            upstream.settimeout(None)
            with self.lock:
                self.sockets.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                self._drop(end)

    def _drop(self, end: socket.socket) -> None:
        with self.lock:
            self.sockets.discard(end)
        _reset(end)

    def cut(self) -> None:
        self.open.clear()
        with self.lock:
            ends = list(self.sockets)
        for end in ends:
            self._drop(end)

    def restore(self) -> None:
        self.open.set()

    def close(self) -> None:
        self.closing.set()
        self.cut()
        self.listener.close()
        self.thread.join(5)


def _reset(end: socket.socket) -> None:
    with contextlib.suppress(OSError):
        end.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        end.close()
