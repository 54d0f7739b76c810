"""Private file storage: a file is whole or absent, and readable by the app's user only."""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import tempfile
from pathlib import Path

from django.core.files.storage import FileSystemStorage

logger = logging.getLogger(__name__)

FOLDER_MODE = 0o700  # as settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS


class AtomicFileSystemStorage(FileSystemStorage):
    """Keep a file whole under its name or not at all; files 0600 in folders 0700.

    A full disk or a crash mid-write leaves nothing behind, so a later request finds no file and
    renders it again. New files and folders get their modes from FILE_UPLOAD_PERMISSIONS and
    FILE_UPLOAD_DIRECTORY_PERMISSIONS whatever the umask; a folder made earlier (by an older
    release, or by hand with a looser umask) is tightened when a file is written into it.
    """

    def _save(self, name: str, content) -> str:
        full_path = self.path(name)
        folder = os.path.dirname(full_path)
        self._make_folder(folder)
        # mkstemp creates the file with mode 0600, readable by the app's user alone.
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".partial-")
        try:
            with os.fdopen(handle, "wb") as file:
                for chunk in content.chunks():
                    file.write(chunk)
                file.flush()
                os.fsync(file.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(temporary, self.file_permissions_mode)
            os.replace(temporary, full_path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        self._tighten_folders(Path(folder))
        return str(name).replace("\\", "/")

    def _make_folder(self, folder: str) -> None:
        if self.directory_permissions_mode is None:
            os.makedirs(folder, exist_ok=True)
            return
        old_umask = os.umask(0o777 & ~self.directory_permissions_mode)
        try:
            os.makedirs(folder, self.directory_permissions_mode, exist_ok=True)
        finally:
            os.umask(old_umask)

    def _tighten_folders(self, folder: Path) -> None:
        """Make `folder` and every folder up to the storage's root 0700."""
        root = Path(self.location).resolve()
        folder = folder.resolve()
        for path in [folder, *folder.parents]:
            if not path.is_relative_to(root):
                break
            if stat.S_IMODE(path.stat().st_mode) != FOLDER_MODE:
                try:
                    os.chmod(path, FOLDER_MODE)
                except PermissionError:
                    logger.warning("Cannot make private storage folder %s mode 0700", path)
