"""The wire desk's upload form: ninjs files, or zip archives of them, unpacked within limits."""

import zipfile
import zlib

from django import forms
from django.core.exceptions import ValidationError


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

    MAX_FILES = 500
    MAX_UNZIPPED_BYTES = 100 * 1000 * 1000

    files = MultipleFileField(
        widget=MultipleFileInput(attrs={"accept": ".json,.zip,application/json,application/zip"}),
        help_text="ninjs 1.x, 2.x or 3.x JSON files, or zip archives of a folder of them.",
    )

    def clean_files(self) -> list[tuple[str, bytes]]:
        """(name, bytes) of every JSON document sent, zip archives unpacked within limits."""
        documents = []
        for upload in self.cleaned_data["files"]:
            if upload.name.lower().endswith(".zip"):
                documents += self._unzip(upload)
            else:
                documents.append((upload.name, upload.read()))
        if len(documents) > self.MAX_FILES:
            raise ValidationError(f"At most {self.MAX_FILES} files at a time.")
        return documents

    def _unzip(self, upload) -> list[tuple[str, bytes]]:
        try:
            archive = zipfile.ZipFile(upload)
        except zipfile.BadZipFile:
            raise ValidationError(f"{upload.name} is not a zip archive.") from None
        members = [m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith(".json")]
        if not members:
            raise ValidationError(f"{upload.name} holds no .json files.")
        if len(members) > self.MAX_FILES or sum(m.file_size for m in members) > self.MAX_UNZIPPED_BYTES:
            raise ValidationError(f"{upload.name} holds too much: at most {self.MAX_FILES} files and 100 MB.")
        documents = []
        for member in members:
            try:
                with archive.open(member) as stream:
                    # Read no more than the archive declares, whatever the compressed data claims.
                    raw = stream.read(member.file_size + 1)[: member.file_size]
            except (zipfile.BadZipFile, zlib.error, EOFError) as error:
                raise ValidationError(f"{upload.name}: {member.filename} is damaged ({error}).") from None
            except NotImplementedError:  # before RuntimeError, of which it is a kind
                raise ValidationError(
                    f"{upload.name}: {member.filename} uses a compression method we cannot read; "
                    "make the archive with ordinary (deflate) compression."
                ) from None
            except RuntimeError:  # zipfile's word for a password-protected member
                raise ValidationError(f"{upload.name}: {member.filename} is encrypted.") from None
            documents.append((f"{upload.name}/{member.filename}", raw))
        return documents
