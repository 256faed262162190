"""The CLI's side of unlocking: passphrases from the environment or a hidden terminal prompt,
set-up for `init`, and the `unlock` command (remember on this device, or the recovery code).

Nothing here prints or logs a key, a passphrase or a code, except the one time a new recovery
code is shown at set-up, which is its purpose."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from portfolio_app.paths import PASSPHRASE_ENV, AppPaths

if TYPE_CHECKING:
    from portfolio_app.services.vault import SetUpResult


class PassphrasesDiffer(Exception):
    """The two entries of a new passphrase were not the same."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    unlock = sub.add_parser(
        "unlock",
        help="check your passphrase and remember the key on this device, "
        "or open with the recovery code and choose a new passphrase",
        description="With no option: unlock with your passphrase and remember the key in this "
        "device's password store, so the app opens without asking. With --recovery-code: "
        "unlock with the recovery code you saved at set-up and choose a new passphrase "
        f"(from {PASSPHRASE_ENV}, or asked twice).",
    )
    unlock.add_argument(
        "--recovery-code",
        nargs="?",
        const="",
        default=None,
        metavar="CODE",
        help="unlock with the recovery code (asked for, hidden, if not given here)",
    )
    unlock.add_argument(
        "--no-remember",
        action="store_true",
        help="do not keep the key in this device's password store",
    )
    unlock.set_defaults(handler=unlock_command)


def data_key(paths: AppPaths) -> bytes:
    """The data key: remembered on this device, else the passphrase from the environment,
    else asked for on the terminal. Without a terminal, PassphraseRequired (exit code 2)."""
    from portfolio_app.services import vault

    try:
        return vault.unlock(paths).data_key
    except vault.PassphraseRequired as needed:
        if not _interactive():
            raise
        print(f"portfolio-app: {needed.reason}", file=sys.stderr)
        passphrase = _hidden(f"Passphrase for {paths.data_dir}: ")
        return vault.unlock(paths, passphrase).data_key


def set_up_keys(paths: AppPaths, *, remember: bool) -> SetUpResult:
    """`init` on a new data folder: choose the passphrase, make the key, show the code once."""
    from portfolio_app.services import vault

    passphrase = vault.passphrase_from_environment() or _new_passphrase("Choose a passphrase")
    result = vault.set_up(paths, passphrase, remember=remember)
    print_recovery_code(result.recovery_code)
    if remember and result.keyring_note:
        print(f"portfolio-app: {result.keyring_note}", file=sys.stderr)
    return result


def print_recovery_code(code: str) -> None:
    print("Your data is encrypted. Your recovery code (shown only this once):")
    print()
    print(f"    {code}")
    print()
    print("Keep it somewhere safe, away from this computer (print it, or write it down).")
    print("If you forget your passphrase, it is the only way to open your data:")
    print("    portfolio-app unlock --recovery-code")
    print()


def unlock_command(args: argparse.Namespace, paths: AppPaths) -> int:
    from portfolio_app.services import vault

    remember = not args.no_remember
    vault.require_set_up(paths)  # before any prompt: nothing to unlock is said at once
    if args.recovery_code is None:
        passphrase = vault.passphrase_from_environment()
        if passphrase is None:
            passphrase = _ask_hidden(f"Passphrase for {paths.data_dir}: ")
        unlocked = vault.unlock(paths, passphrase, remember=remember)
        _report_remembering(paths, remember, unlocked.keyring_note)
        return 0
    code = args.recovery_code or _ask_hidden("Recovery code: ")
    new = vault.passphrase_from_environment() or _new_passphrase("Choose a new passphrase")
    unlocked = vault.unlock_with_recovery_code(paths, code, new, remember=remember)
    print("Unlocked with the recovery code; your new passphrase is set.")
    print("The recovery code still works: keep it safe.")
    _report_remembering(paths, remember, unlocked.keyring_note, by_passphrase=False)
    return 0


def _report_remembering(
    paths: AppPaths, remember: bool, note: str | None, *, by_passphrase: bool = True
) -> None:
    from portfolio_app.services import vault

    # After the recovery code no passphrase was checked, so none is said to be right.
    right = "The passphrase is right. " if by_passphrase else ""
    if not remember:
        forgot = vault.forget_on_this_device(paths)
        print(forgot or f"{right}This device does not keep the key.")
    elif note:
        print(f"The passphrase is right, but: {note}" if by_passphrase else note)
    else:
        print(f"{right}This device now remembers the key.")


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _ask_hidden(prompt: str) -> str:
    from portfolio_app.services.vault import PassphraseRequired

    if not _interactive():
        raise PassphraseRequired("There is no terminal to ask for it.")
    return _hidden(prompt)


def _new_passphrase(prompt: str) -> str:
    if not _interactive():
        from portfolio_app.services.vault import PassphraseRequired

        raise PassphraseRequired("A new passphrase is needed and there is no terminal to ask.")
    first = _hidden(f"{prompt}: ")
    second = _hidden("Type it again: ")
    if first != second:
        raise PassphrasesDiffer("the two passphrases are not the same; nothing was changed")
    return first


def _hidden(prompt: str) -> str:
    """One hidden entry. End of input (Ctrl-D) means nothing was given: not unlocked, not a bug."""
    try:
        return getpass.getpass(prompt)
    except EOFError:
        from portfolio_app.services.vault import PassphraseRequired

        raise PassphraseRequired("Nothing was entered.") from None
