"""Static files in production: content-hashed names and gzip copies for nginx's gzip_static."""

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class GzipManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """No Brotli copies: at its best quality Brotli took most of collectstatic's time (about
    30 of 34 CPU seconds), and nginx, which sends the static files, serves the gzip ones."""

    def create_compressor(self, **kwargs):
        return Compressor(**{**kwargs, "use_brotli": False})
