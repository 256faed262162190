"""The data dir warning: network file systems (from mountinfo text) and sync folders (from the
path), with fake mount tables and paths; nothing here depends on this machine's mounts."""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from portfolio_app.services.data_dir_check import (
    ADVICE,
    check_data_dir,
    mount_of,
    network_reason,
    sync_folder_reason,
)

# The shape of a real /proc/self/mountinfo: ids, parent, dev, root, mount point, options,
# optional fields, "-", type, source, super options.
MOUNTINFO = "\n".join(
    [
        "22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw,errors=remount-ro",
        "25 22 0:23 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw",
        "40 22 0:35 / /home rw,relatime shared:20 - btrfs /dev/sda3 rw,ssd,subvol=/home",
        "61 40 0:52 / /home/siân/Work\\040Share rw,relatime shared:31 - nfs4 "
        "filer.example.org:/export/siân rw,vers=4.2,addr=10.0.0.5",
        "62 40 0:53 / /home/siân/remote rw,nosuid,nodev shared:32 - fuse.sshfs "
        "siân@host.example.org:/ rw,user_id=1000,group_id=1000",
        "63 40 0:54 / /mnt/team rw,relatime shared:33 - cifs //nas/team rw,vers=3.1.1",
        "64 40 0:55 / /mnt/dav rw,nosuid,nodev shared:34 - fuse "
        "https://dav.example.org/remote.php/webdav rw,user_id=0",
        "65 40 0:56 / /mnt/usb rw,relatime shared:35 - vfat /dev/sdb1 rw",
        "66 40 0:57 / /mnt/rclone rw,nosuid,nodev shared:36 - fuse.rclone gdrive: rw",
        "67 22 0:58 / /mnt/team/local rw,relatime shared:37 - ext4 /dev/sdc1 rw",
        "not a mountinfo line",
        "",
    ]
)


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/home/siân/Work Share/portfolio", "nfs4"),
        ("/home/siân/remote/data", "fuse.sshfs"),
        ("/mnt/team/Łukasz", "cifs"),
        ("/mnt/dav/portfolio", "fuse"),
        ("/mnt/rclone/portfolio", "fuse.rclone"),
    ],
)
def test_network_file_systems_are_named(path: str, kind: str) -> None:
    reason = network_reason(PurePosixPath(path), mountinfo=MOUNTINFO, platform="linux")
    assert reason == f"on a network file system ({kind})"


@pytest.mark.parametrize(
    "path",
    [
        "/home/siân/.local/share/portfolio-app",
        "/home/siân/Work",  # only a prefix of the name "Work Share": another folder
        "/mnt/usb/portfolio",
        "/mnt/team/local/Zoë",  # a local disk mounted inside the share
        "/srv/data",
    ],
)
def test_local_disks_give_no_warning(path: str) -> None:
    assert network_reason(PurePosixPath(path), mountinfo=MOUNTINFO, platform="linux") is None


def test_the_longest_mount_point_wins_and_escapes_are_read() -> None:
    mount = mount_of(PurePosixPath("/home/siân/Work Share/a/b"), MOUNTINFO)
    assert mount is not None
    assert mount.point == PurePosixPath("/home/siân/Work Share")
    assert mount.source == "filer.example.org:/export/siân"
    root = mount_of(PurePosixPath("/var/lib"), MOUNTINFO)
    assert root is not None and root.kind == "ext4"
    assert mount_of(PurePosixPath("/var"), "garbage\n") is None


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/home/siân/Dropbox/portfolio", "Dropbox"),
        ("/home/siân/Dropbox (Personal)/portfolio", "Dropbox"),
        ("/home/zoë/OneDrive - Northshire Council/Portfolio", "OneDrive"),
        ("/Users/zoë/Library/Mobile Documents/com~apple~CloudDocs/portfolio", "iCloud Drive"),
        ("/home/łukasz/Nextcloud/portfolio", "Nextcloud"),
        ("/home/łukasz/ownCloud/portfolio", "ownCloud"),
        ("/home/siân/Box Sync/portfolio", "Box"),
        ("/home/siân/pCloud Drive/portfolio", "pCloud"),
        ("/home/siân/Google Drive/portfolio", "Google Drive"),
    ],
)
def test_sync_folders_are_named(path: str, name: str) -> None:
    reason = sync_folder_reason(PurePosixPath(path))
    assert reason is not None
    assert f"in a {name} folder" in reason


def test_sync_folders_on_windows_and_macos_paths() -> None:
    reason = sync_folder_reason(PureWindowsPath(r"C:\Users\Siân\OneDrive\Documents\portfolio"))
    assert reason == "in a OneDrive folder (OneDrive), which syncs it to the cloud"
    google = sync_folder_reason(PureWindowsPath(r"G:\My Drive\portfolio"))
    assert google is not None and "Google Drive" in google
    mac = PurePosixPath("/Users/zoë/Library/CloudStorage/GoogleDrive-zoë@example.org/portfolio")
    assert sync_folder_reason(mac) == "in a cloud storage folder (CloudStorage)"


@pytest.mark.parametrize(
    "path",
    [
        "/home/siân/Documents/portfolio",
        "/home/siân/Dropboxes/portfolio",  # a folder whose name only starts like one
        "/home/siân/boxes/portfolio",
        "/home/siân/notes-on-onedrive/portfolio",
    ],
)
def test_ordinary_folders_are_not_sync_folders(path: str) -> None:
    assert sync_folder_reason(PurePosixPath(path)) is None


def test_windows_network_paths_and_drives() -> None:
    def drive_type(root: str) -> int:
        return {"N:\\": 4, "C:\\": 3}.get(root, 0)

    def windows(path: str) -> str | None:
        return network_reason(PureWindowsPath(path), platform="win32", drive_type=drive_type)

    assert windows(r"\\nas\team\portfolio") == "on a network share"
    assert windows(r"N:\portfolio") == "on a network drive (N:)"
    assert windows(r"C:\Users\Siân\AppData\Roaming\portfolio-app") is None


def test_macos_checks_only_the_folder_names(tmp_path: Path) -> None:
    assert network_reason(PurePosixPath("/Volumes/share"), platform="darwin") is None
    assert check_data_dir(tmp_path / "portfolio", platform="darwin") is None
    synced = check_data_dir(tmp_path / "Dropbox" / "portfolio", platform="darwin")
    assert synced is not None and "Dropbox" in synced.reason


def test_the_warning_says_why_and_what_to_do(tmp_path: Path) -> None:
    """The data dir need not exist yet; its nearest existing folder decides (resolved through
    symlinks: a link from a local folder into a synced one is still synced)."""
    synced = tmp_path / "Dropbox"
    synced.mkdir()
    link = tmp_path / "local-looking"
    link.symlink_to(synced)
    warning = check_data_dir(link / "not made yet", mountinfo="", platform="linux")
    assert warning is not None
    assert warning.data_dir == link / "not made yet"
    assert warning.text.startswith(f"your data folder {link / 'not made yet'} is in a Dropbox")
    assert ADVICE in warning.text
    assert warning.sentence.startswith("Your data folder ") and warning.sentence.endswith(".")


def test_a_network_mount_from_the_real_path(tmp_path: Path) -> None:
    resolved = tmp_path.resolve()
    fake = f"1 0 0:1 / / rw - ext4 /dev/sda1 rw\n2 1 0:2 / {resolved} rw - nfs srv:/x rw\n"
    warning = check_data_dir(tmp_path / "portfolio", mountinfo=fake, platform="linux")
    assert warning is not None
    assert warning.reason == "on a network file system (nfs)"
    assert check_data_dir(tmp_path / "portfolio", mountinfo=fake.split("\n")[0]) is None


def test_the_real_mount_table_is_read_without_error(tmp_path: Path) -> None:
    # The test machine's own: whatever it says, reading it never fails.
    warning = check_data_dir(tmp_path)
    assert warning is None or ADVICE in warning.text
