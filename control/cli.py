"""`lic-control`: the command line. Thin: parses, calls the library, prints.

Command names and flags are a contract with other tools (issuers' scripts, CI): keep them.
Errors go to stderr without a traceback, with exit code 2; `verify` exits 0 iff valid.
"""

from __future__ import annotations

import contextlib
import json
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from control import __version__
from control.capture.decode import decode_file
from control.capture.errors import CaptureError
from control.capture.pages import scan_page
from control.issue import IssueError, issue_code, window_start_for
from control.qr import save_png
from control.record.invariants import RecordError
from control.record.json_form import record_from_text
from control.record.model import Record
from control.rules import Analysis, analyze
from control.verify import trustlist
from control.verify.keys import KeyFileError, PrivateKey, load_private, load_public, save_key_pair
from control.verify.report import verification_to_json
from control.verify.trustlist import TrustListError
from control.verify.verdicts import Verification
from control.verify.verifier import verify as verify_code

app = typer.Typer(
    help="Contrôle LIC: signed LIC QR codes, trust lists and the controllers' toolkit.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
user_app = typer.Typer(help="Agents' accounts.", no_args_is_help=True)
keys_app = typer.Typer(help="Issuer and authority keys (Ed25519 JWK).", no_args_is_help=True)
trust_app = typer.Typer(help="The signed list of trusted issuer keys.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
app.add_typer(user_app, name="user")
app.add_typer(trust_app, name="trust-list")

InputFile = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)]


def fail(message: str) -> NoReturn:
    typer.echo(f"lic-control: error: {message}", err=True)
    raise typer.Exit(2)


def _moment(unix: int | None) -> datetime:
    if unix is None:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        return datetime.fromtimestamp(unix, UTC)
    except (OverflowError, OSError, ValueError):
        fail(f"{unix} is not a usable unix time")


def _read_record(path: Path, **window: date) -> Record:
    """The record in a JSON file, or a clean exit naming the problem."""
    try:
        return record_from_text(path.read_text(encoding="utf-8"), **window)
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror}")
    except UnicodeDecodeError:
        fail(f"{path} is not UTF-8 text")
    except RecordError as error:
        fail(f"{path}: {error}")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lic-control {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Contrôle LIC."""


@keys_app.command("generate")
def keys_generate(
    issuer: Annotated[
        str, typer.Option(help="Issuer id as listed in the trust list, e.g. FR-MOBILIC.")
    ],
    out: Annotated[Path, typer.Option(help="Private JWK path; the public key goes to PATH.pub.")],
    name: Annotated[
        str | None, typer.Option(help="Issuer's display name for the trust list.")
    ] = None,
    valid_days: Annotated[int, typer.Option(min=1, max=3650, help="Key validity from now.")] = 730,
) -> None:
    """Generate an Ed25519 key pair as JWK files."""
    if out.exists():
        fail(f"{out} exists: refusing to overwrite a key")
    now = _moment(None)
    key = PrivateKey.generate(
        issuer.strip(),
        not_before=int(now.timestamp()),
        not_after=int((now + timedelta(days=valid_days)).timestamp()),
        name=name,
    )
    if not key.public.issuer:
        fail("--issuer must not be empty")
    public = save_key_pair(key, out)
    typer.echo(f"kid {key.public.kid_text}: private key {out}, public key {public}")


@trust_app.command("build")
def trust_list_build(
    root_key: Annotated[Path, typer.Option("--root-key", help="The authority's private root JWK.")],
    out: Annotated[Path, typer.Option(help="Where to write the signed trust list.")],
    public_keys: Annotated[list[Path], typer.Argument(help="Issuers' public JWK files.")],
    revoke: Annotated[
        list[str] | None, typer.Option(help="kid (text) of a key to revoke; repeatable.")
    ] = None,
    valid_days: Annotated[int, typer.Option(min=1, max=365, help="Days until next_update.")] = 30,
) -> None:
    """Build and sign the trust list from issuers' public keys."""
    try:
        root = load_private(root_key)
        keys = [load_public(path) for path in public_keys]
        trust = trustlist.build(
            keys, issued_at=_moment(None), valid_days=valid_days, revoke=revoke or []
        )
    except (KeyFileError, TrustListError) as error:
        fail(str(error))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(trustlist.dumps(trust, root), encoding="utf-8")
    count = sum(len(issuer.keys) for issuer in trust.issuers)
    typer.echo(
        f"trust list version {trust.version}: {len(trust.issuers)} issuers, {count} keys -> {out}"
    )


@app.command("issue")
def issue(
    record_file: Annotated[
        Path, typer.Argument(metavar="RECORD.json", help="The record, JSON form.")
    ],
    key: Annotated[Path, typer.Option(help="The issuer's private JWK.")],
    iat: Annotated[
        int | None, typer.Option(help="Generation time, unix seconds (default now).")
    ] = None,
    exp: Annotated[
        int | None, typer.Option(help="Expiry, unix seconds (default iat + 24 h).")
    ] = None,
    png: Annotated[Path | None, typer.Option(help="Also write the QR code as a PNG.")] = None,
    full_record_url: Annotated[
        str | None,
        typer.Option(
            help="Where the complete record is served, for records too long for one code."
        ),
    ] = None,
) -> None:
    """Sign a record and print its LIC1: text."""
    issued_at = _moment(iat)
    try:
        private = load_private(key)
        record = _read_record(record_file, window_start=window_start_for(issued_at))
        code = issue_code(
            record,
            private,
            iat=issued_at,
            exp=None if exp is None else _moment(exp),
            full_record_url=full_record_url,
        )
    except (KeyFileError, IssueError) as error:
        fail(str(error))
    if code.omitted_days:
        typer.echo(
            f"lic-control: the {code.omitted_days} oldest days left out (record-incomplete)",
            err=True,
        )
    if png is not None:
        symbol = save_png(code.text, png)
        typer.echo(f"lic-control: QR version {symbol.version}-{symbol.error} -> {png}", err=True)
    typer.echo(code.text)


@app.command("verify")
def verify(
    trust_list: Annotated[Path, typer.Option("--trust-list", help="The signed trust list.")],
    root: Annotated[Path, typer.Option(help="The authority's public root JWK.")],
    text: Annotated[str | None, typer.Argument(help="The LIC1: text (or use --image).")] = None,
    image: Annotated[
        Path | None, typer.Option(help="A photo or screenshot of the QR code.")
    ] = None,
    at: Annotated[
        int | None, typer.Option(help="Verify as of this unix time (default now).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Verify a LIC code offline; exit status 0 if and only if it is valid."""
    if (text is None) == (image is None):
        fail("give either the code's TEXT or --image IMG")
    now = _moment(at)
    try:
        trust = trustlist.loads(trust_list.read_bytes(), load_public(root))
    except OSError as error:
        fail(f"cannot read {trust_list}: {error.strerror}")
    except (KeyFileError, TrustListError) as error:
        fail(str(error))
    if image is not None:
        try:
            decoded = decode_file(image, lic_only=True)
        except CaptureError as error:
            fail(f"{image}: {error}")
        if not decoded.codes:
            fail(f"no QR code found in {image}")
        text = (decoded.lic or decoded.codes[0]).text
    assert text is not None
    result = verify_code(text, trust, now)
    # The record is a snapshot taken when the code was generated: analyse it as of then.
    analysis = None if result.record is None else analyze(result.record, result.iat or now)
    if as_json:
        document = verification_to_json(result)
        document["analysis"] = None if analysis is None else analysis.to_json()
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        _print_verification(result)
        if analysis is not None:
            _print_analysis(analysis)
    raise typer.Exit(0 if result.valid else 1)


@app.command("analyze")
def analyze_command(
    record_file: Annotated[
        Path, typer.Argument(metavar="RECORD.json", help="The record, JSON form.")
    ],
    at: Annotated[
        int | None,
        typer.Option(help="Moment of the control, unix seconds (default now)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
) -> None:
    """Find every breach of the working-time rules in a record; exit 0 even if some are found."""
    moment = _moment(at)
    record = _read_record(record_file, default_window_start=window_start_for(moment))
    analysis = analyze(record, moment)
    if as_json:
        typer.echo(json.dumps(analysis.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_analysis(analysis)


@app.command("decode")
def decode(
    images: Annotated[list[Path], typer.Argument(metavar="IMG...", help="Photos or screenshots.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per line and image.")
    ] = False,
) -> None:
    """Read every QR code in each image; exit 1 if an image gave none (or could not be read)."""
    missing = False
    for path in images:
        codes: list[str] = []
        error = None
        ms = 0.0
        try:
            decoded = decode_file(path)
            codes, ms = decoded.texts, decoded.ms
        except CaptureError as problem:
            error = type(problem).message_fr
        except Exception:  # a decoder bug on one image: said, never a traceback
            error = "le décodeur a échoué sur cette image ; signalez-la à l'équipe technique."
        missing = missing or not codes
        if as_json:
            line = {"file": str(path), "codes": codes, "ms": round(ms, 1), "error": error}
            typer.echo(json.dumps(line, ensure_ascii=False))
        elif error:
            typer.echo(f"{path}: erreur : {error}", err=True)
        else:
            for text in codes or ["(no QR code found)"]:
                typer.echo(f"{path}: {text}")
    raise typer.Exit(1 if missing else 0)


@app.command("page")
def page(
    source: Annotated[Path, typer.Argument(metavar="IN", help="Photo of a paper LIC page.")],
    target: Annotated[Path, typer.Argument(metavar="OUT", help="Where to write the JPEG scan.")],
) -> None:
    """Straighten and clean a photo of a logbook page (JPEG, no EXIF); warn if it is blurred."""
    try:
        scan = scan_page(source.read_bytes())
    except OSError as error:
        fail(f"cannot read {source}: {error.strerror}")
    except CaptureError as error:
        fail(f"{source}: {error}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(scan.jpeg)
    found = "page found" if scan.corners else "no page outline found: whole frame kept"
    typer.echo(f"{target}: {scan.width}×{scan.height}, {found}, sharpness {scan.sharpness:.0f}")
    if scan.blurred:
        typer.echo("lic-control: the photo is blurred: take it again", err=True)
        raise typer.Exit(1)


@app.command("verify-bulletin")
def verify_bulletin(
    source: Annotated[str, typer.Argument(metavar="PDF|TEXT", help="A bulletin PDF or its code.")],
    key: Annotated[
        Path | None,
        typer.Option(help="The service's public key (default: DATA_DIR/bulletin-key.jwk.pub)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    roots: Annotated[
        Path | None,
        typer.Option(
            help="The roots a PDF's signer must chain to (PEM; default: LIC_CONTROL_PDF_TRUST_"
            "ROOTS, else the self-signed certificates of the service's signing chain)."
        ),
    ] = None,
) -> None:
    """Check a control bulletin offline: a PDF by its signature (every signed field is
    printed), a BDC1 code by its own (the fields it carries, to compare with the sheet)."""
    from control.bulletins.keys import KEY_FILE
    from control.bulletins.serialize import to_json
    from control.bulletins.signing import check_code
    from control.bulletins.verify import check_pdf
    from control.bulletins.wording import bulletin_rows, code_rows
    from control.pades.certs import CertificateError, trust_roots
    from control.settings import Settings

    settings = Settings()
    document: dict[str, Any]
    if source.startswith("BDC1:"):
        try:
            public = load_public(key or settings.data_dir / f"{KEY_FILE}.pub")
        except KeyFileError as error:
            fail(str(error))
        result = check_code(source, [public])
        valid, reason = result.valid, result.reason
        rows = code_rows(result.fields) if result.fields else []
        document = {"kind": "code", "valid": valid, "reason": reason}
        if result.fields is not None:
            fields = result.fields
            document["signed"] = {
                "number": fields.number,
                "version": fields.version,
                "date": fields.control_date,
                "company": fields.company,
                "plate": fields.plate,
                "driver": fields.driver,
                "natinf": list(fields.natinf),
                "sha256": fields.sha256.hex(),
                "issued_at": int(fields.issued_at.timestamp()),
            }
        if valid:
            rows.append(("Portée", CODE_SCOPE))
    else:
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > settings.max_upload_bytes:  # bounded before it is read
                fail(f"{path}: larger than {settings.max_upload_bytes} bytes")
            pdf = path.read_bytes()
            trusted = trust_roots(replace_roots(settings, roots))
        except OSError as error:
            fail(f"cannot read {path}: {error.strerror}")
        except CertificateError as error:
            fail(str(error))
        checked = check_pdf(pdf, trusted, max_bytes=settings.max_upload_bytes)
        valid, reason = checked.valid, checked.reason
        rows = bulletin_rows(checked.bulletin) if checked.bulletin else []
        document = {"kind": "pdf", "valid": valid, "reason": reason}
        if checked.valid:
            document["signer"] = checked.signer
            document["signed_at"] = checked.signed_at.isoformat() if checked.signed_at else None
        if checked.bulletin is not None:
            document["bulletin"] = to_json(checked.bulletin)
    if as_json:
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        typer.echo(("valid: " if valid else "INVALID: ") + reason)
        if document.get("signer"):
            typer.echo(f"Signé par : {document['signer']}, le {document['signed_at']}")
        for label, value in rows:
            typer.echo(f"{label} : {value}")
    raise typer.Exit(0 if valid else 1)


CODE_SCOPE = (
    "ce code prouve ces champs seulement : comparez-les avec la feuille ; "
    "un PDF se vérifie par sa signature (lic-control verify-bulletin FICHIER.pdf)"
)


def replace_roots(settings: Any, roots: Path | None) -> Any:
    """The settings with `--roots` as the PDF trust roots, when given."""
    return settings if roots is None else settings.model_copy(update={"pdf_trust_roots": roots})


@app.command("purge")
def purge_command(
    years: Annotated[int, typer.Option(min=1, max=30, help="Keep this many years.")] = 3,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would go; delete nothing.")
    ] = False,
) -> None:
    """Delete controls older than the retention period, with their bulletins and photos."""
    from control.settings import Settings
    from control.storage.database import connect, migrate
    from control.storage.retention import cutoff, purge

    settings = Settings()
    engine = connect(settings.database())
    migrate(engine)
    before = cutoff(_moment(None), years)
    result = purge(engine, before, dry_run=dry_run, files_dir=settings.files_dir())
    verb = "would delete" if dry_run else "deleted"
    typer.echo(
        f"{verb} {result.controls} controls before {before.date().isoformat()}, "
        f"{result.bulletins} bulletins, {result.photos} photos ({result.files} files), "
        f"{result.orphans} orphan files, {result.access_requests} unanswered access requests"
    )


@app.command("backup")
def backup_command(
    out: Annotated[Path, typer.Argument(dir_okay=False, help="The archive to write (.tar.gz).")],
) -> None:
    """Save the database, the files and the keys of the data directory in one archive."""
    from control.settings import Settings
    from control.storage.backup import BackupError, backup
    from control.storage.database import connect, migrate

    settings = Settings()
    engine = connect(settings.database())
    migrate(engine)
    try:
        summary = backup(engine, settings.data_dir, settings.files_dir(), out)
    except (BackupError, OSError) as error:
        fail(f"backup failed: {error}")
    typer.echo(
        f"{out}: {sum(summary.rows.values())} rows in {len(summary.rows)} tables, "
        f"{summary.files} files, {summary.keys} key files (keep it private: it holds them)"
    )


@app.command("restore")
def restore_command(archive: InputFile) -> None:
    """Load an archive made by `backup` into an empty database and data directory."""
    from control.settings import Settings
    from control.storage.backup import BackupError, restore
    from control.storage.database import connect, migrate

    settings = Settings()
    engine = connect(settings.database())
    migrate(engine)
    try:
        summary = restore(engine, settings.data_dir, settings.files_dir(), archive)
    except BackupError as error:
        fail(str(error))
    typer.echo(
        f"restored {sum(summary.rows.values())} rows, {summary.files} files, "
        f"{summary.keys} key files"
    )


@app.command("load-demo")
def load_demo(
    controls: Annotated[int, typer.Option("--controls", min=1, help="How many controls.")],
    seed: Annotated[int, typer.Option(help="Seed of the synthetic data.")] = 1,
) -> None:
    """Fill the database with synthetic controls (for the search page and its benchmark)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from control.demo.controls import load
    from control.settings import Settings
    from control.storage.database import connect, migrate

    engine = connect(Settings().database())
    migrate(engine)
    columns = (BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns) as progress:
        task = progress.add_task("contrôles", total=controls)
        load(engine, controls, seed, lambda n: progress.advance(task, n))
    typer.echo(f"{controls} synthetic controls loaded")


@app.command("demo")
def demo(
    out: Annotated[Path, typer.Option(help="Directory for the demo world.")],
    at: Annotated[
        int | None, typer.Option(help="Time of the simulated controls (default now).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic data.")] = 1,
) -> None:
    """Create demo keys, trust list, synthetic drivers and their codes."""
    from control.demo.build import build_demo

    manifest = build_demo(out, _moment(at), seed)
    for entry in manifest:
        symbol = f"QR {entry['qr_version']}-{entry['qr_error_level']}"
        typer.echo(
            f"{entry['file']:<22} {entry['sector']:<20} {symbol}  {entry['expected_verdict']}"
        )
    typer.echo(f"{len(manifest)} drivers -> {out} (trust list: {out / 'trust-list.json'})")


def _print_verification(result: Verification) -> None:
    typer.echo(f"verdict: {result.verdict.value}")
    if result.detail:
        layer = f" [{result.layer.value}]" if result.layer else ""
        typer.echo(f"detail: {result.detail}{layer}")
    for warning in result.warnings:
        typer.echo(f"warning: {warning.value}")
    if result.issuer:
        typer.echo(f"issuer: {result.issuer} ({result.issuer_name}), key {result.kid}")
    if result.iat and result.exp:
        typer.echo(f"generated: {result.iat.isoformat()}  expires: {result.exp.isoformat()}")
    if result.record is not None:
        record = result.record
        typer.echo(
            f"record: {len(record.days)} worked days from {record.window_start.isoformat()} "
            f"to {record.window_end.isoformat()}{'' if record.complete else ' (incomplete)'}"
        )


DEMO_ACCOUNTS = (
    ("agent", "Agent de démonstration", "agent", "controle-demo-1"),
    ("inspecteur", "Inspecteur de démonstration", "inspector", "controle-demo-2"),
    ("admin", "Administrateur de démonstration", "admin", "controle-demo-3"),
)
# Synthetic identities of the demo accounts (their GRECO export needs names and a matricule)
DEMO_IDENTITIES = {
    "agent": ("Camille", "Démo", "DEMO-0001"),
    "inspecteur": ("Dominique", "Démo", "DEMO-0002"),
    "admin": ("Alix", "Démo", "DEMO-0003"),
}


@user_app.command("add")
def user_add(
    login: Annotated[str, typer.Option(help="Sign-in name (lower case).")],
    name: Annotated[str, typer.Option(help="Full name shown in the app.")],
    role: Annotated[str, typer.Option(help="agent, inspector or admin.")] = "agent",
    password: Annotated[
        str | None,
        typer.Option(help="Password (asked for if not given; 12 characters at least, not common)."),
    ] = None,
    unit: Annotated[str, typer.Option(help="Agents: their unit (they see its controls).")] = "",
    region: Annotated[
        str, typer.Option(help="Inspectors: INSEE code of their région (e.g. 84).")
    ] = "",
    email: Annotated[
        str, typer.Option(help="ProConnect email: the first ProConnect sign-in binds to it.")
    ] = "",
    given_name: Annotated[str, typer.Option(help="Given name (GRECO).")] = "",
    family_name: Annotated[str, typer.Option(help="Family name (GRECO).")] = "",
    matricule: Annotated[str, typer.Option(help="RIO / matricule (GRECO).")] = "",
    siret: Annotated[str, typer.Option(help="SIRET of the agent's administration.")] = "",
) -> None:
    """Create an account (the first admin is made this way)."""
    from control.settings import Settings
    from control.storage.audit import record as audit
    from control.storage.database import connect, migrate
    from control.storage.users import (
        AccountError,
        Identity,
        Role,
        add_user,
        check_identity,
    )

    if role not in Role._value2member_map_:
        fail("--role must be agent, inspector or admin")
    identity = Identity(email, None, siret, given_name, family_name, matricule)
    try:
        check_identity(identity)
    except AccountError as error:
        fail(str(error))
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    engine = connect(Settings().database())
    migrate(engine)
    try:
        user = add_user(
            engine, login, name, Role(role), password, unit=unit, region=region, identity=identity
        )
    except AccountError as error:
        fail(str(error))
    audit(engine, user.id, "account-created", f"{user.login} {user.role.value} (lic-control)")
    typer.echo(f"account {user.login} ({user.role.value}) created")


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[
        bool, typer.Option(help="Build the demo world and demo accounts under the data dir.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Server processes (default LIC_CONTROL_PROCESSES, 2)."),
    ] = None,
) -> None:
    """Run the web app (settings from LIC_CONTROL_* variables)."""
    import uvicorn

    from control.keyfiles import ExposedSecretError
    from control.settings import Settings
    from web.app import create_app

    settings = Settings()
    if demo:
        settings = _demo_settings(settings)
    processes = workers or settings.processes
    try:  # checked (and the database migrated) once, before any worker starts
        application = create_app(settings)
    except ExposedSecretError as problem:
        fail(str(problem))
    # No access log: search URLs hold drivers' names, which must not end up in log files.
    # No proxy headers: uvicorn would believe X-Forwarded-For from loopback; the app reads it
    # only from the proxies of LIC_CONTROL_TRUSTED_PROXIES (web/client_address.py).
    if processes == 1:
        uvicorn.run(
            application,
            host=host,
            port=port,
            log_level="info",
            access_log=False,
            proxy_headers=False,
        )
        return
    application.state.context.engine.dispose()
    _export(settings)  # each worker process builds its app from the same settings
    uvicorn.run(
        "web.app:create_app",
        factory=True,
        workers=processes,
        host=host,
        port=port,
        log_level="info",
        access_log=False,
        proxy_headers=False,
    )


def _export(settings: Any) -> None:
    """The settings as LIC_CONTROL_* variables, for worker processes that read them anew."""
    import os

    for name, value in settings.model_dump(exclude_defaults=True).items():
        if value is not None:
            os.environ[f"LIC_CONTROL_{name.upper()}"] = str(value)


def _demo_settings(settings: Any) -> Any:
    """A fresh demo world (codes valid now) and the demo accounts, printed for the user."""
    from control.demo.build import build_demo
    from control.storage.database import connect, migrate
    from control.storage.users import AccountError, Identity, Role, add_user

    world = settings.data_dir / "demo"
    build_demo(world, _moment(None))
    engine = connect(settings.database())
    migrate(engine)
    typer.echo("Demo accounts (synthetic data only):")
    for login, name, role, password in DEMO_ACCOUNTS:
        with contextlib.suppress(AccountError):  # already there from an earlier start
            given, family, matricule = DEMO_IDENTITIES[login]
            identity = Identity("", None, "", given, family, matricule)
            add_user(engine, login, name, Role(role), password, identity=identity)
        typer.echo(f"  {role:<10} login {login:<11} password {password}")
    engine.dispose()
    return settings.model_copy(
        update={
            "trust_list": world / "trust-list.json",
            "root_key": world / "authority" / "root.jwk.pub",
            "demo_dir": world,
        }
    )


def _print_analysis(analysis: Analysis) -> None:
    if not analysis.findings:
        typer.echo("findings: none")
    for finding in analysis.findings:
        dates = " → ".join(d.isoformat() for d in finding.dates)
        flags = f" [{', '.join(f.value for f in finding.flags)}]" if finding.flags else ""
        typer.echo(
            f"NATINF {finding.natinf} (C{finding.rule.klass}) {finding.rule.id} {dates} "
            f"version={finding.version.value}{flags}"
        )
        typer.echo(f"    {finding.rule.qualification}")
        if finding.rule.offence is not None:
            offence = finding.rule.offence
            typer.echo(f"    prévue par : {' ; '.join(offence.defined_by)}")
            typer.echo(f"    réprimée par : {' ; '.join(offence.punished_by)}")
        typer.echo(f"    {finding.explanation}")
    for warning in analysis.warnings:
        typer.echo(f"warning {warning.rule.id} (à vérifier) : {warning.explanation}")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
