"""Metadata stated in the text or in collection metadata, never guessed."""
from index.metadata import derive_title, display_source, parse_date, source_from_text, split_headline


def test_dateline_credit_is_the_source():
    assert source_from_text("دبي، الإمارات العربية المتحدة (CNN)-- التقى وفد مصري") == "CNN"


def test_source_line_is_the_source():
    assert source_from_text("نص الخبر.\n\nالمصدر : الجزيرة + وكالات") == "الجزيرة"


def test_photo_credits_and_cited_outlets_are_not_the_source():
    text = ("لقاء سابق بين حفتر ورئيس المخابرات المصرية (الفرنسية)\n"
            "حسب وكالة الأناضول للأنباء. بحسب موقع “العربي الجديد”")
    assert source_from_text(text) is None


def test_known_outlet_codes_get_their_names():
    assert display_source("alarabia") == "العربية" and display_source("BBC") == "BBC"
    assert display_source("صحيفة محلية") == "صحيفة محلية"


def test_dates_iso_and_rfc2822_keep_the_publishers_wall_clock():
    assert parse_date("Thu, 22 Mar 2018 15:32:55 +0400").isoformat() == "2018-03-22T11:32:55"  # the instant, in UTC
    assert parse_date("Mon, 12 Mar 2018 01:51:48 +0400").isoformat() == "2018-03-11T21:51:48"  # the day before, in UTC
    assert parse_date("2020-12-27").isoformat() == "2020-12-27T00:00:00"
    assert parse_date("2021-04-01T10:00:00Z").isoformat() == "2021-04-01T10:00:00"
    assert parse_date("الأحد الماضي") is None and parse_date("") is None and parse_date(None) is None


def test_headline_rules():
    assert split_headline(["مصر", "عنوان", "نص"]) == ("عنوان", "مصر", ["نص"])
    long_first = "كلمة " * 60
    assert split_headline([long_first]) == (None, None, [long_first])
    assert derive_title("أجرى وزير خارجية ليبيا محمد الطاهر سيالة، الاثنين، مباحثات هاتفية مع نظيره المصري "
                        "سامح شكري حول سبل تعزيز التعاون").endswith("…")
