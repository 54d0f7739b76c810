"""Private file storage that never leaves a partial file: write to a temporary name, then rename."""

from __future__ import annotations

import contextlib
import os
import tempfile

from django.core.files.storage import FileSystemStorage


class AtomicFileSystemStorage(FileSystemStorage):
    """Keep a file whole under its name or not at all.

    A full disk or a crash mid-write leaves nothing behind, so a later request finds no file and
    renders it again.
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
