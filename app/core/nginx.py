"""The nginx configuration that balances requests over jobfair instances: printed for a
deployment by `jobfair nginx-config`, and written for nginx processes of their own by the
as-deployed tests (tests/deployed/balancer.py) and scripts/bench_load.py.

Idempotent requests whose instance does not answer (refused, reset, timed out, 502) go to the
next instance; a POST or PATCH already sent is not sent again (nginx's default), so the
balancer never makes a write twice: its client sends it again, with its Idempotency-Key.
Request bodies stream through unbuffered and unbounded: the service bounds them itself
(MAX_BODY_BYTES, MAX_UPLOAD_BYTES), and a 2 GB ledger is not first spooled by nginx.
"""

import os
from pathlib import Path


def balancing(listen: str, backends: list[str], *, keepalive: int = 32) -> str:
    """The `upstream` and `server` blocks (an `http` block's content, as in conf.d/):
    `listen` as nginx's directive takes it ("80", "127.0.0.1:8080"), `backends` host:port."""
    servers = "\n".join(f"    server {backend};" for backend in backends)
    return f"""upstream jobfair {{
{servers}
    keepalive {keepalive};
}}
server {{
    listen {listen};
    client_max_body_size 0;
    location / {{
        proxy_pass http://jobfair;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_request_buffering off;
        proxy_next_upstream error timeout http_502;
        proxy_connect_timeout 2s;
        proxy_send_timeout 600s;
        proxy_read_timeout 600s;
    }}
}}
"""


def private(folder: Path, port: int, backends: list[int], *, worker_processes: int = 1,
            access_log: bool = True) -> str:  # fmt: skip
    """A whole nginx.conf for an nginx of its own on 127.0.0.1:`port`, in front of the
    instances on 127.0.0.1:`backends`: its pid, logs and temporary files all in `folder`."""
    # As root, nginx's workers would run as nobody, which cannot reach a private folder.
    user = "user root root;\n" if os.geteuid() == 0 else ""
    log = f"{folder}/access.log" if access_log else "off"
    inner = balancing(f"127.0.0.1:{port}", [f"127.0.0.1:{b}" for b in backends], keepalive=64)
    indented = "".join(f"    {line}\n" if line else "\n" for line in inner.splitlines())
    return f"""{user}worker_processes {worker_processes};
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log {log};
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
{indented}}}
"""
