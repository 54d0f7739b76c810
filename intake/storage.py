"""Private file storage: stored files (summary PDFs) readable by the app's user only."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from django.core.files.storage import FileSystemStorage

logger = logging.getLogger(__name__)

FOLDER_MODE = 0o700  # as settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS


class PrivateStorage(FileSystemStorage):
    """Files 0600 in folders 0700, whatever the process's umask.

    New files and folders get these modes from FILE_UPLOAD_PERMISSIONS and
    FILE_UPLOAD_DIRECTORY_PERMISSIONS; a folder made earlier (by an older release, or by hand
    with a looser umask) is tightened when a file is written into it. A file is briefly
    umask-mode before Django's chmod, but inside a 0700 folder no other user can reach it.
    """

    def _save(self, name, content):
        name = super()._save(name, content)
        self._tighten_folders(Path(self.path(name)).parent)
        return name

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
