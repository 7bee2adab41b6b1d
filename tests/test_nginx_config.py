"""`jobfair nginx-config`: the balancer's configuration, as nginx itself checks it (where nginx
is installed: tests/deployed/balancer.py decides whether it must be)."""

import subprocess

from typer.testing import CliRunner

from app.cli import cli
from tests.deployed.balancer import nginx_binary


def test_the_printed_configuration_balances_over_every_backend_and_nginx_accepts_it(tmp_path):
    printed = CliRunner().invoke(
        cli, ["nginx-config", "--backend", "10.0.0.11:8000", "--backend", "10.0.0.12:8000"]
    )
    assert printed.exit_code == 0, printed.output
    servers = [line.strip() for line in printed.output.splitlines() if "server 10." in line]
    assert servers == ["server 10.0.0.11:8000;", "server 10.0.0.12:8000;"]
    assert "proxy_next_upstream error timeout http_502;" in printed.output
    (tmp_path / "jobfair.conf").write_text(printed.output)
    main = tmp_path / "nginx.conf"
    main.write_text(f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{ include jobfair.conf; }}\n")
    checked = subprocess.run(
        [nginx_binary(), "-t", "-p", f"{tmp_path}/", "-c", str(main), "-e", str(tmp_path / "e")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
