"""Choice labels without Django's per-call rebuild of the choices dict (hot in list pages)."""

from django.utils.encoding import force_str


class CachedChoiceLabelsMixin:
    """get_FOO_display from a label map built once per field, not once per call."""

    def _get_FIELD_display(self, field):
        labels = field.__dict__.get("_cached_choice_labels")
        if labels is None:
            labels = dict(field.flatchoices)
            field.__dict__["_cached_choice_labels"] = labels
        value = getattr(self, field.attname)
        return force_str(labels.get(value, value), strings_only=True)
