"""Command line for the reader site: users and roles, API keys, the mail outbox."""

from __future__ import annotations

import getpass
import os
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from newsdesk.cli.common import err, error_line, load_settings, open_store

if TYPE_CHECKING:
    from newsdesk.store import Store

users_app = typer.Typer(help="Manage reader, editor and admin accounts.", no_args_is_help=True)
apikeys_app = typer.Typer(help="Manage the API keys of operators.", no_args_is_help=True)
mail_app = typer.Typer(help="The outgoing mail outbox.", no_args_is_help=True)


class Role(StrEnum):
    """The roles of ``store.site_models.ROLES``, as a choice that help and completion show."""

    reader = "reader"
    editor = "editor"
    admin = "admin"


def _store() -> Store:
    return open_store(load_settings())


def _read_password() -> str:
    """From NEWSDESK_NEW_PASSWORD (scripts) or asked twice without echo."""
    given = os.environ.get("NEWSDESK_NEW_PASSWORD")
    if given:
        return given
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Again: "):
        err.print(error_line("the two passwords differ"))
        raise typer.Exit(code=1)
    return first


@users_app.command("add")
def users_add(
    email: str,
    name: Annotated[str, typer.Option(help="Display name.")],
    role: Annotated[Role, typer.Option(help="The account's role.")] = Role.reader,
) -> None:
    """Create an account (the password is asked for, or read from NEWSDESK_NEW_PASSWORD)."""
    from sqlalchemy.exc import IntegrityError

    from newsdesk.accounts.passwords import hash_password, password_problem
    from newsdesk.store.site import accounts

    password = _read_password()
    problem = password_problem(password, email, name)
    if problem is not None:
        err.print(error_line(problem))
        raise typer.Exit(code=1)
    store = _store()
    try:
        with store.session() as session:
            user = accounts.add_user(session, email, name, hash_password(password), role.value)
    except IntegrityError as error:
        err.print(error_line(f"an account with e-mail {email!r} or name {name!r} exists"))
        raise typer.Exit(code=1) from error
    err.print(f"user {user.id} {user.email} ({user.role}) created")


@users_app.command("role")
def users_role(email: str, role: Role) -> None:
    """Change an account's role."""
    from newsdesk.store.site import accounts

    with _store().session() as session:
        try:
            user = accounts.set_role(session, email, role.value)
        except LookupError as error:
            err.print(error_line(str(error)))
            raise typer.Exit(code=1) from error
    err.print(f"{user.email} is now {user.role}")


@users_app.command("list")
def users_list() -> None:
    """Every account with its role."""
    from newsdesk.store.site import accounts

    with _store().session() as session:
        for user in accounts.list_users(session):
            banned = " banned" if user.is_banned() else ""
            typer.echo(f"{user.id}\t{user.email}\t{user.display_name}\t{user.role}{banned}")


@apikeys_app.command("create")
def apikeys_create(name: str) -> None:
    """Create a key; it is printed once and only its hash is stored."""
    from newsdesk.store.site import apikeys

    with _store().session() as session:
        key, secret = apikeys.create_key(session, name)
    err.print(f"API key {key.id} ({key.name}) created; store it now, it is not shown again:")
    typer.echo(secret)


@apikeys_app.command("list")
def apikeys_list() -> None:
    from newsdesk.store.site import apikeys

    with _store().session() as session:
        for key in apikeys.list_keys(session):
            state = "revoked" if key.revoked_at else "live"
            used = key.last_used_at.isoformat() if key.last_used_at else "never"
            typer.echo(f"{key.id}\t{key.name}\t{key.prefix}…\t{state}\tlast used {used}")


@apikeys_app.command("revoke")
def apikeys_revoke(key_id: int) -> None:
    from newsdesk.store.site import apikeys

    with _store().session() as session:
        if not apikeys.revoke_key(session, key_id):
            err.print(error_line(f"no API key {key_id}"))
            raise typer.Exit(code=1)
    err.print(f"API key {key_id} revoked")


@mail_app.command("send")
def mail_send() -> None:
    """Send what waits in the outbox (SMTP when configured, else printed)."""
    from newsdesk.mail import deliver_outbox, sender_for

    sent, failed = deliver_outbox(_store(), sender_for(load_settings()))
    err.print(f"{sent} sent, {failed} failed")
    if failed:
        raise typer.Exit(code=1)
