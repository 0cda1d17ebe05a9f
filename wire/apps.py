from django.apps import AppConfig


class WireConfig(AppConfig):
    """Wire copy in and out as IPTC ninjs: the importer, the exporter, the schemas, the import page,
    and the sources that may push copy (wire.models.Source)."""

    name = "wire"
