"""Fill a PostgreSQL database with N published articles for the page benchmarks.

Realistic shape: the demo vocabulary plus generated topics, regions and some 300 authors;
each article has 1–3 topics, 1–2 regions, 1–2 authors, a Markdown body of several sections
made from a vocabulary of the region, and a publication date spread over ten years.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \\
    .venv/bin/python bench/articles_generate.py --count 100000

The database is emptied and migrated first: give it a database of its own.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

PLACES = [
    "Baku", "Yerevan", "Tbilisi", "Tehran", "Ankara", "Moscow", "Brussels", "Nakhchivan",
    "Syunik", "Lachin", "Kapan", "Meghri", "Ganja", "Gyumri", "Batumi", "Tabriz", "Shusha",
    "Stepanakert", "Khankendi", "Agdam", "Kars", "Astara", "Poti", "Ceyhan",
]  # fmt: skip
SUBJECTS = [
    "pipeline", "ceasefire", "border", "corridor", "drone", "peacekeepers", "sanctions",
    "railway", "election", "summit", "gas", "oil", "arms", "exercise", "monitoring mission",
    "checkpoint", "treaty", "refugees", "mediation", "port", "tariff", "airspace", "militia",
]  # fmt: skip
VERBS = [
    "reshapes", "tests", "reopens", "complicates", "exposes", "strengthens", "undermines",
    "delays", "accelerates", "redraws", "stabilises", "threatens",
]  # fmt: skip
WORDS = [
    "government",
    "ministry",
    "negotiators",
    "talks",
    "agreement",
    "security",
    "region",
    "trade",
    "transit",
    "route",
    "analysts",
    "officials",
    "military",
    "capacity",
    "diplomacy",
    "leverage",
    "pressure",
    "investment",
    "tanker",
    "convoy",
    "inspection",
    "customs",
    "delegation",
    "framework",
    "escalation",
    "deterrence",
    "incident",
    "report",
    "statement",
    "parliament",
    "coalition",
    "neighbour",
    "market",
    "supply",
    "energy",
    "capital",
    "dispute",
    "proposal",
]


def _words(text: str) -> list[str]:
    return text.split()


# --other-languages: editions in the site's other languages, made of these words (places,
# subjects, other words), so each is indexed in its own configuration.
EDITION_WORDS = {
    "ru": (
        _words("Баку Ереван Тбилиси Тегеран Карабах Лачин Нахичевань Гюмри Батуми Шуша"),
        _words("газопровод перемирие граница коридор беспилотник миротворцы санкции выборы"),
        _words(
            "правительство министерство переговоры соглашение безопасность регион торговля "
            "транзит маршрут аналитики чиновники армия давление инвестиции делегация "
            "эскалация сдерживание инцидент доклад заявление парламент рынок энергетика"
        ),
    ),
    "az": (
        _words("Bakı İrəvan Tiflis Tehran Qarabağ Laçın Naxçıvan Gəncə Şuşa Ağdam"),
        _words("kəmər atəşkəs sərhəd dəhliz pilotsuz sülhməramlılar sanksiyalar seçki"),
        _words(
            "hökumət nazirlik danışıqlar razılaşma təhlükəsizlik region ticarət tranzit "
            "marşrut analitiklər rəsmilər ordu təzyiq investisiya nümayəndə heyəti "
            "eskalasiya çəkindirmə hadisə hesabat bəyanat parlament bazar enerji"
        ),
    ),
    "hy": (
        _words("Բաքու Երևան Թբիլիսի Թեհրան Ղարաբաղ Լաչին Նախիջևան Գյումրի Կապան Մեղրի"),
        _words("գազատար հրադադար սահման միջանցք անօդաչու խաղաղապահներ պատժամիջոցներ"),
        _words(
            "կառավարություն նախարարություն բանակցություններ համաձայնագիր անվտանգություն "
            "տարածաշրջան առևտուր տարանցում երթուղի վերլուծաբաններ պաշտոնյաներ բանակ "
            "ճնշում ներդրում պատվիրակություն զսպում միջադեպ զեկույց հայտարարություն"
        ),
    ),
    "ka": (
        _words("ბაქო ერევანი თბილისი თეირანი ყარაბაღი ლაჩინი ბათუმი ფოთი გორი ქუთაისი"),
        _words("გაზსადენი ზავი საზღვარი დერეფანი დრონი სამშვიდობოები სანქციები არჩევნები"),
        _words(
            "მთავრობა სამინისტრო მოლაპარაკებები შეთანხმება უსაფრთხოება რეგიონი ვაჭრობა "
            "ტრანზიტი მარშრუტი ანალიტიკოსები ოფიციალური პირები არმია ზეწოლა ინვესტიცია "
            "დელეგაცია ესკალაცია შეკავება ინციდენტი მოხსენება განცხადება პარლამენტი"
        ),
    ),
    "fa": (
        _words("باکو ایروان تفلیس تهران قره‌باغ لاچین نخجوان تبریز اردبیل آستارا"),
        _words("خط‌لوله آتش‌بس مرز کریدور پهپاد حافظان‌صلح تحریم‌ها انتخابات"),
        _words(
            "دولت وزارت مذاکرات توافق امنیت منطقه تجارت ترانزیت مسیر تحلیلگران مقامات "
            "ارتش فشار سرمایه‌گذاری هیئت تشدید بازدارندگی حادثه گزارش بیانیه مجلس بازار "
            "انرژی"
        ),
    ),
}


def edition_sentence(rng: random.Random, language: str) -> str:
    places, subjects, words = EDITION_WORDS[language]
    chosen = rng.sample(words, rng.randint(8, 14))
    chosen.insert(rng.randint(0, 4), rng.choice(places))
    chosen.insert(rng.randint(0, 8), rng.choice(subjects))
    return " ".join(chosen) + "."


def edition_body(rng: random.Random, language: str) -> str:
    places, subjects, _ = EDITION_WORDS[language]
    sections = []
    for _ in range(rng.randint(3, 6)):
        heading = f"## {rng.choice(subjects)} {rng.choice(places)}"
        paragraphs = [
            " ".join(edition_sentence(rng, language) for _ in range(rng.randint(3, 6)))
            for _ in range(3)
        ]
        sections.append(heading + "\n\n" + "\n\n".join(paragraphs))
    return "\n\n".join(sections)


def sentence(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(8, 14))
    words.insert(rng.randint(0, 4), rng.choice(PLACES))
    words.insert(rng.randint(0, 8), rng.choice(SUBJECTS))
    return " ".join(words).capitalize() + "."


def body(rng: random.Random) -> str:
    sections = []
    for _ in range(rng.randint(3, 6)):
        heading = f"## {rng.choice(SUBJECTS).capitalize()} in {rng.choice(PLACES)}"
        paragraphs = [" ".join(sentence(rng) for _ in range(rng.randint(3, 6))) for _ in range(3)]
        sections.append(heading + "\n\n" + "\n\n".join(paragraphs))
    return "\n\n".join(sections)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--other-languages",
        type=float,
        default=0.0,
        help="the share of articles written in the other languages (ru, az, hy, ka, fa)",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own.")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    from tests.factories import ensure_editorial_groups

    ensure_editorial_groups()  # `flush` emptied what the data migrations made
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    started = time.monotonic()
    generate(args.count, random.Random(args.seed), other_languages=args.other_languages)
    print(f"{args.count} articles in {time.monotonic() - started:.0f} s")


def generate(count: int, rng: random.Random, *, other_languages: float = 0.0) -> None:
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from articles.models import (
        Article,
        Author,
        Byline,
        Region,
        TaggedRegion,
        TaggedTopic,
        Topic,
        update_search_vectors,
    )  # fmt: skip
    from base.markdown import render_markdown

    topics = list(Topic.objects.all())
    topics += Topic.objects.bulk_create(
        Topic(name=f"{s.capitalize()} policy {n}", slug=f"{slugify(s)}-policy-{n}")
        for n, s in enumerate(SUBJECTS * 2)
    )
    regions = list(Region.objects.all())
    regions += Region.objects.bulk_create(
        Region(name=f"{p} area", slug=f"{slugify(p)}-area") for p in PLACES
    )
    authors = list(Author.objects.all())
    authors += Author.objects.bulk_create(
        Author(name=f"Analyst {n:03d}", slug=f"analyst-{n:03d}", title="Fellow") for n in range(300)
    )
    # Rendering every body is the slow part: render a pool and share it.
    pool = []
    for _ in range(min(count, 3000)):
        source = body(rng)
        rendered = render_markdown(source)
        pool.append((source, rendered.html, rendered.text, rendered.toc, rendered.reading_minutes))
    pools = {"en": pool}
    for language in EDITION_WORDS if other_languages else ():
        pools[language] = []
        for _ in range(min(count, 300)):
            source = edition_body(rng, language)
            rendered = render_markdown(source)
            pools[language].append(
                (source, rendered.html, rendered.text, rendered.toc, rendered.reading_minutes)
            )
    now = timezone.now()
    batch = 2000
    for start in range(0, count, batch):
        with transaction.atomic():
            rows = []
            for n in range(start, min(start + batch, count)):
                language = "en"
                if other_languages and rng.random() < other_languages:
                    language = rng.choice(list(EDITION_WORDS))
                source, html, text, toc, minutes = rng.choice(pools[language])
                if language == "en":
                    title = (
                        f"{rng.choice(SUBJECTS).capitalize()} in {rng.choice(PLACES)} "
                        f"{rng.choice(VERBS)} {rng.choice(WORDS)} ({n})"
                    )
                    dek = sentence(rng)
                else:
                    places, subjects, words = EDITION_WORDS[language]
                    title = f"{rng.choice(subjects)} {rng.choice(places)} {rng.choice(words)} ({n})"
                    dek = edition_sentence(rng, language)
                when = now - datetime.timedelta(minutes=rng.randint(60, 10 * 365 * 24 * 60))
                rows.append(
                    Article(
                        title=title,
                        slug=f"bench-{n}",
                        kind=rng.choice(Article.Kind.values),
                        dek=dek,
                        language=language,
                        body=source,
                        body_html=html,
                        plain_text=text,
                        toc=toc,
                        reading_minutes=minutes,
                        status=Article.Status.PUBLISHED,
                        publish_at=when,
                        first_published_at=when,
                    )
                )
            created = Article.objects.bulk_create(rows)
            TaggedTopic.objects.bulk_create(
                TaggedTopic(content_object=a, tag=t)
                for a in created
                for t in rng.sample(topics, rng.randint(1, 3))
            )
            TaggedRegion.objects.bulk_create(
                TaggedRegion(content_object=a, tag=r)
                for a in created
                for r in rng.sample(regions, rng.randint(1, 2))
            )
            Byline.objects.bulk_create(
                Byline(article=a, author=au, position=i)
                for a in created
                for i, au in enumerate(rng.sample(authors, rng.randint(1, 2)))
            )
            update_search_vectors(Article.objects.filter(pk__in=[a.pk for a in created]))
        print(f"  {min(start + batch, count)} / {count}", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


if __name__ == "__main__":
    main()
