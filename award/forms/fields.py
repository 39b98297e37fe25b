"""Form fields every floor shares."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Ticked rows by id. An id no integer column can hold is an invalid choice like any other
    unknown id; SQLite would otherwise raise OverflowError inside `pk__in` (a 500)."""

    def clean(self, value):
        if isinstance(value, (list, tuple)):
            low, high = self.id_range()
            for item in value:
                number = self.as_integer(item)
                if number is not None and not low <= number <= high:
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": item},
                    )
        return super().clean(value)

    def id_range(self) -> tuple[float, float]:
        meta = self.queryset.model._meta
        field = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        while field.is_relation:  # a one-to-one primary key holds the other table's id
            field = field.target_field
        if not isinstance(field, models.IntegerField):
            return float("-inf"), float("inf")
        low, high = connections[self.queryset.db].ops.integer_field_range(field.get_internal_type())
        return (
            float("-inf") if low is None else low,
            float("inf") if high is None else high,
        )

    @staticmethod
    def as_integer(item) -> int | None:
        """The submitted id as a number; anything else is left to the parent's own checks."""
        try:
            return int(str(item))
        except ValueError:
            return None
