import factory
from django.utils import timezone

from notifications.models import Notification
from org.tests.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    verb = "board.post_approved"
    title = factory.Sequence(lambda n: f"게시글 {n}이(가) 승인되었습니다")
    url = "/board/"
    created_at = factory.LazyFunction(timezone.now)
