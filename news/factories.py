import datetime

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from home.models import HomePage

from .models import CooperationSector, NewsIndexPage, NewsPage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Trang chủ"

    class Meta:
        model = HomePage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "Tin tức"
    slug = "tin-tuc"

    class Meta:
        model = NewsIndexPage


class CooperationSectorFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")
    slug = factory.Sequence(lambda n: f"linh-vuc-{n}")
    description = "Hợp tác giữa các địa phương."
    sort_order = factory.Sequence(int)

    class Meta:
        model = CooperationSector


class NewsPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Bắc Kạn và Hà Nội ký kết hợp tác số {n}")
    slug = None
    date = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(days=n))
    author = "Nguyễn Nga"
    intro = "Hai địa phương đẩy mạnh hợp tác trong nhiều lĩnh vực."
    body = factory.LazyFunction(lambda: [("paragraph", "<p>Đồng Phúc, huyện Ba Bể.</p>")])

    class Meta:
        model = NewsPage
        skip_postgeneration_save = True

    @factory.post_generation
    def sectors(page, create, extracted, **kwargs):
        if extracted:
            page.sectors.set(extracted)
            if create:
                page.save()

    @factory.post_generation
    def tags(page, create, extracted, **kwargs):
        if extracted:
            page.tags.add(*extracted)
            if create:
                page.save()
