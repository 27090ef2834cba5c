"""`lic-control` as other tools call it: names, flags, outputs and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from control.cli import app
from control.record import Record, record_to_json
from control.settings import Settings


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


@pytest.fixture
def run() -> Callable[..., Result]:
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        outcome = runner.invoke(app, [str(a) for a in args])
        return Result(outcome.exit_code, outcome.stdout, outcome.stderr)

    return invoke


@pytest.fixture
def now() -> datetime:
    """The real clock (`keys generate` dates its keys from it), a minute after the keys exist."""
    return datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)


@pytest.fixture
def record(record_at: Callable[[datetime], Record], now: datetime) -> Record:
    return record_at(now)


@pytest.fixture
def world(tmp_path: Path, run: Callable[..., Result], record: Record) -> Path:
    """Root, one issuer, a trust list and a record file, made with the CLI itself."""
    assert (
        run("keys", "generate", "--issuer", "FR-AUTORITE", "--out", tmp_path / "root.jwk").code == 0
    )
    assert (
        run("keys", "generate", "--issuer", "FR-MOBILIC", "--out", tmp_path / "mob.jwk").code == 0
    )
    built = run(
        "trust-list",
        "build",
        "--root-key",
        tmp_path / "root.jwk",
        "--out",
        tmp_path / "list.json",
        tmp_path / "mob.jwk.pub",
    )
    assert built.code == 0, built.err
    (tmp_path / "record.json").write_text(json.dumps(record_to_json(record)))
    return tmp_path


def _iat(now: datetime) -> str:
    return str(int(now.timestamp()))


def _verify(run: Callable[..., Result], world: Path, *args: str) -> Result:
    return run(
        "verify", "--trust-list", world / "list.json", "--root", world / "root.jwk.pub", *args
    )


def test_issue_then_verify_round_trip(
    run: Callable[..., Result], world: Path, now: datetime
) -> None:
    issued = run("issue", "--key", world / "mob.jwk", "--iat", _iat(now), world / "record.json")
    assert issued.code == 0, issued.err
    text = issued.out.strip()
    assert text.startswith("LIC1:")
    result = _verify(run, world, "--at", _iat(now), "--json", text)
    assert result.code == 0
    data = json.loads(result.out)
    assert set(data) >= {"verdict", "warnings", "issuer", "kid", "iat", "exp", "record"}
    assert data["verdict"] == "valid"
    assert data["iat"] == int(now.timestamp())
    assert data["exp"] == int(now.timestamp()) + 86400
    assert data["record"]["days"] == json.loads((world / "record.json").read_text())["days"]


def test_verify_exits_non_zero_for_a_tampered_code(
    run: Callable[..., Result], world: Path, now: datetime
) -> None:
    text = run(
        "issue", "--key", world / "mob.jwk", "--iat", _iat(now), world / "record.json"
    ).out.strip()
    tampered = text[:-10] + ("0" if text[-10] != "0" else "1") + text[-9:]
    result = _verify(run, world, "--at", _iat(now), tampered)
    assert result.code == 1
    assert result.out.startswith("verdict: ")
    assert not result.out.startswith("verdict: valid")


def test_verify_reads_the_code_from_a_png(
    run: Callable[..., Result], world: Path, now: datetime
) -> None:
    png = world / "code.png"
    issued = run(
        "issue", "--key", world / "mob.jwk", "--iat", _iat(now), "--png", png, world / "record.json"
    )
    assert issued.code == 0
    assert png.stat().st_size > 1000
    result = _verify(run, world, "--at", _iat(now), "--image", png)
    assert result.code == 0, result.out + result.err
    assert result.out.startswith("verdict: valid")


def test_expiry_and_at_flags_are_honoured(
    run: Callable[..., Result], world: Path, now: datetime
) -> None:
    iat = int(now.timestamp())
    text = run(
        "issue",
        "--key",
        world / "mob.jwk",
        "--iat",
        str(iat),
        "--exp",
        str(iat + 3600),
        world / "record.json",
    ).out.strip()
    assert _verify(run, world, "--at", str(iat + 3600), text).code == 0
    late = _verify(run, world, "--at", str(iat + 3601), text)
    assert late.code == 1
    assert late.out.startswith("verdict: expired")


def test_revoked_key_in_a_rebuilt_list_is_refused(
    run: Callable[..., Result], world: Path, now: datetime
) -> None:
    text = run(
        "issue", "--key", world / "mob.jwk", "--iat", _iat(now), world / "record.json"
    ).out.strip()
    kid = json.loads((world / "mob.jwk.pub").read_text())["kid"]
    rebuilt = run(
        "trust-list",
        "build",
        "--root-key",
        world / "root.jwk",
        "--out",
        world / "list.json",
        "--revoke",
        kid,
        "--valid-days",
        "7",
        world / "mob.jwk.pub",
    )
    assert rebuilt.code == 0
    assert _verify(run, world, "--at", _iat(now), text).out.startswith("verdict: revoked-key")


def test_bad_record_names_the_field_and_exits_2(run: Callable[..., Result], world: Path) -> None:
    data = json.loads((world / "record.json").read_text())
    data["employers"][0]["sector"] = "spaceships"
    (world / "bad.json").write_text(json.dumps(data))
    result = run("issue", "--key", world / "mob.jwk", world / "bad.json")
    assert result.code == 2
    assert "employers[0].sector" in result.err
    assert "Traceback" not in result.err + result.out


def test_broken_json_exits_2_without_traceback(run: Callable[..., Result], world: Path) -> None:
    (world / "broken.json").write_text('{"driver": ')
    result = run("issue", "--key", world / "mob.jwk", world / "broken.json")
    assert result.code == 2
    assert "not valid JSON" in result.err


def test_trust_list_signed_by_another_root_exits_2(run: Callable[..., Result], world: Path) -> None:
    run("keys", "generate", "--issuer", "FR-AUTRE", "--out", world / "other.jwk")
    result = run(
        "verify", "--trust-list", world / "list.json", "--root", world / "other.jwk.pub", "LIC1:X"
    )
    assert result.code == 2
    assert "configured root" in result.err


def test_verify_needs_exactly_one_of_text_and_image(
    run: Callable[..., Result], world: Path
) -> None:
    assert _verify(run, world).code == 2
    assert _verify(run, world, "--image", world / "record.json", "LIC1:X").code == 2


def test_keys_generate_never_overwrites_a_key(run: Callable[..., Result], world: Path) -> None:
    result = run("keys", "generate", "--issuer", "FR-MOBILIC", "--out", world / "mob.jwk")
    assert result.code == 2
    assert "refusing to overwrite" in result.err


def test_demo_world_gives_each_code_its_expected_verdict(
    run: Callable[..., Result], tmp_path: Path, now: datetime
) -> None:
    out = tmp_path / "demo"
    assert run("demo", "--out", out, "--at", _iat(now)).code == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest) >= 12
    assert {entry["sector"] for entry in manifest} == {
        "goods-long-distance",
        "goods-regional",
        "goods-parcel-cash",
        "passengers",
        "removals",
    }
    assert not all(entry["complete"] for entry in manifest)
    for entry in manifest:
        text = (out / "codes" / f"{entry['file']}.txt").read_text().strip()
        result = run(
            "verify",
            "--trust-list",
            out / "trust-list.json",
            "--root",
            out / "authority" / "root.jwk.pub",
            "--at",
            _iat(now),
            "--json",
            text,
        )
        data = json.loads(result.out)
        assert data["verdict"] == entry["expected_verdict"], entry["file"]
        assert (out / "codes" / f"{entry['file']}.png").exists()
        if data["verdict"] == "valid":
            found = {f["rule"] for f in data["analysis"]["findings"]}
            assert found == set(entry["findings"]), entry["file"]


def test_installed_command_prints_its_version_and_help() -> None:
    command = Path(sys.executable).parent / "lic-control"
    version = subprocess.run([command, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("lic-control ")
    for sub in (
        ["verify"],
        ["issue"],
        ["analyze"],
        ["decode"],
        ["page"],
        ["keys", "generate"],
        ["trust-list", "build"],
        ["demo"],
        ["serve"],
        ["user", "add"],
        ["purge"],
        ["load-demo"],
        ["verify-bulletin"],
    ):
        shown = subprocess.run(
            [command, *sub, "--help"], capture_output=True, text=True, check=True
        )
        assert "Usage" in shown.stdout


def test_analyze_prints_each_finding_with_its_natinf(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    out = tmp_path / "demo"
    control = "1795599600"  # Wed 25 Nov 2026 10:40, Paris
    assert run("demo", "--out", out, "--at", control).code == 0
    result = run("analyze", "--at", control, out / "records" / "06-nuit.json")
    assert result.code == 0, result.err
    assert "NATINF 32083 (C5) night-work" in result.out
    assert "entre 0 h et 5 h" in result.out


def test_analyze_json_has_the_documented_fields(run: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "demo"
    control = "1795599600"
    assert run("demo", "--out", out, "--at", control).code == 0
    result = run("analyze", "--json", "--at", control, out / "records" / "09-sans-saisie.json")
    data = json.loads(result.out)
    assert set(data) == {"findings", "warnings"}
    [finding] = data["findings"]
    assert set(finding) >= {"natinf", "class", "rule", "dates", "version", "figures", "explanation"}
    assert finding["natinf"] == "23103"
    assert finding["dates"] == ["2026-11-25"]


def test_analyze_takes_the_window_from_at_when_the_record_has_none(
    run: Callable[..., Result], world: Path, now: datetime
) -> None:
    data = json.loads((world / "record.json").read_text())
    del data["window_start"]
    (world / "bare.json").write_text(json.dumps(data))
    result = run("analyze", "--json", "--at", _iat(now), world / "bare.json")
    assert result.code == 0, result.err
    # the same 28 days as the record that names its window: the same findings (whichever the
    # generated days hold on today's date), not an error or an empty window
    named = run("analyze", "--json", "--at", _iat(now), world / "record.json")
    assert json.loads(result.out)["findings"] == json.loads(named.out)["findings"]


def test_analyze_refuses_a_broken_record_without_traceback(
    run: Callable[..., Result], world: Path
) -> None:
    (world / "broken.json").write_text('{"driver": ')
    result = run("analyze", world / "broken.json")
    assert result.code == 2
    assert result.err.startswith("lic-control: error:")
    assert "Traceback" not in result.err


def test_decode_prints_one_json_line_per_image(
    run: Callable[..., Result], world: Path, now: datetime, tmp_path: Path
) -> None:
    png = tmp_path / "code.png"
    issued = run(
        "issue", "--key", world / "mob.jwk", "--iat", _iat(now), "--png", png, world / "record.json"
    )
    (tmp_path / "notes.jpg").write_text("not a photo")
    result = run("decode", "--json", png, tmp_path / "notes.jpg")
    assert result.code == 1  # one image gave no code
    first, second = (json.loads(line) for line in result.out.splitlines())
    assert first["codes"] == [issued.out.strip()]
    assert first["error"] is None
    assert first["ms"] > 0
    assert second["codes"] == []
    assert "n'est pas une image" in second["error"]


def test_page_writes_a_corrected_scan(run: Callable[..., Result], tmp_path: Path) -> None:
    from control.capture.simulate import page_photo

    (tmp_path / "photo.jpg").write_bytes(page_photo(1))
    result = run("page", tmp_path / "photo.jpg", tmp_path / "scan.jpg")
    assert result.code == 0, result.err
    assert "page found" in result.out
    assert (tmp_path / "scan.jpg").read_bytes()[:2] == b"\xff\xd8"


def test_page_refuses_a_file_that_is_not_a_photo(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    (tmp_path / "x.jpg").write_bytes(b"GIF89a")
    result = run("page", tmp_path / "x.jpg", tmp_path / "out.jpg")
    assert result.code == 2
    assert "Traceback" not in result.err
    assert not (tmp_path / "out.jpg").exists()


def test_user_add_creates_an_account_that_can_sign_in(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from control.settings import Settings
    from control.storage.database import connect
    from control.storage.users import authenticate

    monkeypatch.setenv("LIC_CONTROL_DATA_DIR", str(tmp_path))
    result = run(
        "user",
        "add",
        "--login",
        "chef",
        "--name",
        "Chef",
        "--role",
        "admin",
        "--password",
        "a long admin password",
    )
    assert result.code == 0, result.err
    engine = connect(Settings(data_dir=tmp_path).database())
    user = authenticate(engine, "chef", "a long admin password", datetime.now(UTC)).user
    assert user is not None
    assert user.role.value == "admin"
    again = run(
        "user", "add", "--login", "chef", "--name", "Chef", "--password", "another one, long"
    )
    assert again.code == 2
    assert "existe déjà" in again.err


def test_user_add_keeps_the_agents_proconnect_email_and_greco_identity(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from control.settings import Settings
    from control.storage.database import connect, migrate
    from control.storage.users import Identity, list_users

    monkeypatch.setenv("LIC_CONTROL_DATA_DIR", str(tmp_path))
    account = ["user", "add", "--login", "c.roux", "--name", "C. Roux"]
    account += ["--password", "a long agent password"]
    refused = run(*account, "--email", "c.roux", "--matricule", "A1")
    assert refused.code == 2
    assert "Adresse électronique invalide" in refused.err
    engine = connect(Settings(data_dir=tmp_path).database())
    migrate(engine)
    assert list_users(engine) == []  # nothing created by a refused command
    identity = ["--email", "C.Roux@dreets.example.gouv.fr", "--given-name", "Claude"]
    result = run(*account, *identity, "--family-name", "Roux", "--matricule", "ab-12")
    assert result.code == 0, result.err
    [user] = list_users(engine)
    assert user.identity == Identity(
        "c.roux@dreets.example.gouv.fr", None, "", "Claude", "Roux", "AB-12"
    )
    twin = ["user", "add", "--login", "c.roux2", "--name", "C. Roux"]
    twin += ["--password", "a long agent password", "--email", "c.roux@dreets.example.gouv.fr"]
    taken = run(*twin)
    assert taken.code == 2
    assert "déjà celle du compte c.roux" in taken.err
    assert [u.login for u in list_users(engine)] == ["c.roux"]  # no account half made


@pytest.mark.parametrize(
    ("password", "message"),
    [
        (" " * 14, "uniquement d'espaces"),
        ("azerty123456", "trop courant"),
        ("Password2026!", "trop courant"),
        ("short pass", "12 caractères"),
        ("le.chef.2026", "l'identifiant"),
    ],
)
def test_user_add_refuses_a_weak_password_in_french(
    run: Callable[..., Result],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    password: str,
    message: str,
) -> None:
    monkeypatch.setenv("LIC_CONTROL_DATA_DIR", str(tmp_path))
    login = "le.chef.2026" if "identifiant" in message else "chef"
    result = run("user", "add", "--login", login, "--name", "Chef", "--password", password)
    assert result.code == 2
    assert message in result.err


def test_user_add_is_in_the_audit_log(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from control.settings import Settings
    from control.storage.audit import entries
    from control.storage.database import connect

    monkeypatch.setenv("LIC_CONTROL_DATA_DIR", str(tmp_path))
    result = run(
        "user",
        "add",
        "--login",
        "chef",
        "--name",
        "Claire Chef",
        "--password",
        "a long admin password",
    )
    assert result.code == 0, result.err
    logged = entries(connect(Settings(data_dir=tmp_path).database()))
    assert [(e.login, e.action) for e in logged] == [("chef", "account-created")]
    assert not any("Claire" in e.target for e in logged)


def test_serve_believes_no_forwarded_header_itself(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """uvicorn would take X-Forwarded-For from loopback; the app decides whom to believe."""
    import uvicorn

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda application, **options: seen.update(options))
    monkeypatch.setenv("LIC_CONTROL_DATA_DIR", str(tmp_path))
    assert run("serve", "--port", "8202").code == 0
    assert seen["proxy_headers"] is False


def test_verify_bulletin_checks_a_pdf_by_its_signature_and_shows_every_field(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from control.bulletins.keys import service_key
    from control.bulletins.pdf import issue_pdf, render_pdf
    from control.bulletins.signing import sign_bulletin
    from control.demo.bulletins import sample_bulletin
    from control.pades.certs import CHAIN_FILE, signing_identity

    monkeypatch.setenv("LIC_CONTROL_DATA_DIR", str(tmp_path / "service"))
    sample = sample_bulletin()
    code = sign_bulletin(sample, service_key(tmp_path / "service"))
    genuine = tmp_path / "b.pdf"
    genuine.write_bytes(issue_pdf(sample, code, signing_identity(Settings())))
    result = run("verify-bulletin", genuine)
    assert result.code == 0, result.out + result.err
    assert "Bulletin authentique" in result.out
    assert "Signé par : Contrôle LIC — signature des bulletins" in result.out
    for field in ("000042-2026-A17", "FAURE Thierry", "BS-286-TW", "298412974", "Vénissieux"):
        assert field in result.out
    assert "NATINF 20525" in result.out
    assert "Conducteur coopératif." in result.out
    as_json = json.loads(run("verify-bulletin", "--json", genuine).out)
    assert as_json["valid"] is True
    assert [i["natinf"] for i in as_json["bulletin"]["infractions"]] == ["32083", "20525"]

    forged = tmp_path / "forged.pdf"
    forged.write_bytes(render_pdf(replace(sample, infractions=()), code))  # the genuine code
    refused = run("verify-bulletin", forged)
    assert refused.code == 1
    assert "aucune signature" in refused.out

    other = tmp_path / "other"
    signing_identity(Settings(data_dir=other))
    elsewhere = run("verify-bulletin", "--roots", other / CHAIN_FILE, genuine)
    assert elsewhere.code == 1
    assert "ne reconnaît pas" in elsewhere.out


def test_verify_bulletin_shows_what_a_code_proves_and_only_that(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    from control.bulletins.keys import service_key
    from control.bulletins.signing import sign_bulletin
    from control.demo.bulletins import sample_bulletin

    code = sign_bulletin(sample_bulletin(), service_key(tmp_path))
    public = tmp_path / "bulletin-key.jwk.pub"
    result = run("verify-bulletin", "--key", public, code)
    assert result.code == 0, result.out
    for field in ("000042-2026-A17", "FAURE Thierry", "BS-286-TW", "298412974", "32083, 20525"):
        assert field in result.out
    assert "prouve ces champs seulement" in result.out
    assert "un PDF se vérifie par sa signature" in result.out
    as_json = json.loads(run("verify-bulletin", "--json", "--key", public, code).out)
    assert as_json["valid"] is True
    assert as_json["signed"]["natinf"] == ["32083", "20525"]
    tampered = code[:-8] + ("0" if code[-8] != "0" else "1") + code[-7:]
    assert run("verify-bulletin", "--key", public, tampered).code == 1


def test_purge_dry_run_counts_and_keeps(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIC_CONTROL_DATA_DIR", str(tmp_path))
    loaded = run("load-demo", "--controls", "200")
    assert loaded.code == 0, loaded.err
    dry = run("purge", "--years", "1", "--dry-run")
    assert dry.code == 0
    assert dry.out.startswith("would delete ")
    would = int(dry.out.split()[2])
    assert 0 < would < 200
    done = run("purge", "--years", "1")
    assert done.out.startswith(f"deleted {would} controls")
    assert run("purge", "--years", "1").out.startswith("deleted 0 controls")


def test_backup_then_restore_into_a_new_data_directory(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIC_CONTROL_DATA_DIR", str(tmp_path / "a"))
    assert run("load-demo", "--controls", "50").code == 0
    saved = run("backup", tmp_path / "b.tar.gz")
    assert saved.code == 0, saved.err
    saved_rows = int(saved.out.split(": ", 1)[1].split()[0])
    assert saved_rows > 50  # the controls, their agents and NATINF rows
    monkeypatch.setenv("LIC_CONTROL_DATA_DIR", str(tmp_path / "new"))
    restored = run("restore", tmp_path / "b.tar.gz")
    assert restored.code == 0, restored.err
    assert restored.out.startswith(f"restored {saved_rows} rows")
    again = run("restore", tmp_path / "b.tar.gz")
    assert again.code == 2
    assert "not empty" in again.err


def test_serve_runs_several_worker_processes_from_the_same_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    started: list[tuple[object, dict[str, object]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.append((app, options)))
    monkeypatch.setenv("LIC_CONTROL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LIC_CONTROL_RETENTION_YEARS", "5")
    result = CliRunner().invoke(app, ["serve", "--workers", "3", "--port", "8203"])
    assert result.exit_code == 0, result.output
    [(target, options)] = started
    assert target == "web.app:create_app"  # each process builds its own app
    assert options["factory"] is True
    assert options["workers"] == 3
    assert os.environ["LIC_CONTROL_RETENTION_YEARS"] == "5"
    assert (tmp_path / "data" / "lic-control.db").exists()  # migrated once, before them
