"""The wire desk's upload form: ninjs files, or zip archives of them, unpacked within limits.

A file or zip member that cannot be read (too large, damaged, encrypted, compressed in a way we
cannot read, one archive too many) is not a form error: it becomes one rejected line, and the
other files of the upload are imported all the same.
"""

import lzma
import posixpath
import zipfile
import zlib

from django import forms
from django.core.exceptions import ValidationError

from wire.importer import MAX_FILE_BYTES, TOO_LARGE, Rejected, read_within_limit
from wire.packages import Budget, PackageFiles, ZipFiles

# What zipfile raises on archives damaged or made to hurt (found by flipping bytes of real ones):
# ValueError includes UnicodeDecodeError (a member name not in UTF-8) and negative seeks.
DAMAGED = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, each checked as a FileField would check one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if not uploads and self.required:
            raise ValidationError("Choose at least one ninjs file or zip archive.", code="required")
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]


class WireCopyForm(forms.Form):
    """ninjs files, or zip archives of them, for the admin's import page."""

    # For one upload, all archives together: what one request may make the server unpack.
    MAX_FILES = 500
    MAX_UNZIPPED_BYTES = 100 * 1000 * 1000

    files = MultipleFileField(
        widget=MultipleFileInput(attrs={"accept": ".json,.zip,application/json,application/zip"}),
        help_text="ninjs 1.x, 2.x or 3.x JSON files, or zip archives of a folder of them.",
        allow_empty_file=True,  # an empty file is one rejected line, not an error for the whole upload
    )

    def clean_files(self) -> list[tuple[str, bytes | Rejected]]:
        """(name, bytes) of every JSON document sent, or (name, Rejected) for a file or zip member
        that cannot be read; zip archives are unpacked within limits."""
        self._files_left, self._bytes_left = self.MAX_FILES, self.MAX_UNZIPPED_BYTES
        # A package's pictures beside its JSON in the zip: found by files_for(), read within their own budget.
        self._package_files: dict[str, PackageFiles] = {}
        self._picture_budget = Budget(self.MAX_UNZIPPED_BYTES)
        documents = []
        for upload in self.cleaned_data["files"]:
            if upload.name.lower().endswith(".zip"):
                documents += self._unzip(upload)
            else:
                documents.append((upload.name, self._read(upload, upload.size)))
        return documents

    def _read(self, stream, size: int) -> bytes | Rejected:
        """Read one document within the limits of the file and of the whole upload."""
        if size > MAX_FILE_BYTES:
            return Rejected(TOO_LARGE)
        if self._files_left < 1 or size > self._bytes_left:
            return Rejected(self._over_the_upload_limit())
        self._files_left -= 1
        try:
            raw = read_within_limit(stream)
        except Rejected as error:
            return error
        self._bytes_left -= len(raw)
        return raw

    def _over_the_upload_limit(self) -> str:
        return (
            f"it would take this upload over {self.MAX_FILES} files or {self.MAX_UNZIPPED_BYTES // 1_000_000} MB; "
            "import it on its own"
        )

    def _unzip(self, upload) -> list[tuple[str, bytes | Rejected]]:
        try:
            archive = zipfile.ZipFile(upload)
        except (*DAMAGED, NotImplementedError) as error:  # NotImplementedError: a zip version zipfile lacks
            return [(upload.name, Rejected(f"it is not a zip archive we can read ({error})"))]
        members = [m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith(".json")]
        if not members:
            return [(upload.name, Rejected("it holds no .json files"))]
        if len(members) > self.MAX_FILES:
            return [
                (upload.name, Rejected(f"it holds {len(members):,} .json files; at most {self.MAX_FILES} at a time"))
            ]
        # What the archive says it unzips to (members over the limit for one file are not read).
        declared = sum(m.file_size for m in members if m.file_size <= MAX_FILE_BYTES)
        if declared > self.MAX_UNZIPPED_BYTES:
            return [(upload.name, Rejected(f"it would unzip to more than {self.MAX_UNZIPPED_BYTES // 1_000_000} MB"))]
        if len(members) > self._files_left or declared > self._bytes_left:
            return [(upload.name, Rejected(self._over_the_upload_limit()))]
        documents = []
        for member in members:
            name = f"{upload.name}/{member.filename}"
            self._package_files[name] = ZipFiles(archive, posixpath.dirname(member.filename), self._picture_budget)
            documents.append((name, self._read_member(archive, member)))
        return documents

    def files_for(self, name: str) -> PackageFiles | None:
        """Where the pictures of the document `name` (from clean_files) are: its zip, if it came in one."""
        return self._package_files.get(name)

    def _read_member(self, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes | Rejected:
        try:
            # zipfile stops at the size the archive declares and checks the CRC there: data that
            # inflates to more than it says is cut off and found damaged, never read to the end.
            with archive.open(member) as stream:
                return self._read(stream, member.file_size)
        except NotImplementedError as error:  # before RuntimeError, of which it is a kind
            return Rejected(
                f"it uses a compression method we cannot read ({error}); "
                "make the archive with ordinary (deflate) compression"
            )
        except RuntimeError:  # zipfile's word for a password-protected member
            return Rejected("it is encrypted (password-protected); send it without a password")
        except DAMAGED as error:
            return Rejected(f"it is damaged ({error})")
