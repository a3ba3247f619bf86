import factory

from accounts.choices import Role
from accounts.models import ApiToken, User
from registry.models import Region

PASSWORD = "Test-password-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    role = Role.COUNTY_STAFF
    region = factory.LazyFunction(lambda: Region.objects.get(code="620102"))
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def api_token(user, *, write=None):
    """A fresh Bearer token of ``user`` (default expiry): able to write when the user's role
    writes (``write=None``), read-only otherwise or when ``write`` is False. Made directly, not
    through ``token_issue``, so that tests may give one to an expired account."""
    from accounts.models import ApiToken

    if write is None:
        write = not user.is_read_only
    _instance, token = ApiToken.objects.create(user=user, write=write)
    return token


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A token row; knox's manager makes the secret (use ``api_token`` for the Bearer text)."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory, role=Role.API_CLIENT)
    write = False

    @classmethod
    def _create(cls, model_class, *args, user, **kwargs):
        instance, _token = model_class.objects.create(user=user, **kwargs)
        return instance
