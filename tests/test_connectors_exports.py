"""Exports: Instagram and Facebook "Download your information" JSON, and the X archive."""
from __future__ import annotations

import json
import zipfile

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

import sociable.cli.accounts  # noqa: F401  (registers the commands until cli/__init__ does)
from sociable.cli import app
from sociable.connectors.exports import ExportError, import_export, read_export
from sociable.connectors.exports.meta_json import fix_text
from sociable.connectors.exports.x import parse_js
from sociable.store import tables as t
from tests.connectors_helpers import count


def _mis(text: str) -> str:
    """How Meta writes text in exports: each UTF-8 byte as one \\u00XX character."""
    return text.encode("utf-8").decode("latin-1")


def _zip(path, files: dict[str, object]):
    with zipfile.ZipFile(path, "w") as z:
        for name, content in files.items():
            z.writestr(name, content if isinstance(content, (str, bytes)) else json.dumps(content))
    return path


def instagram_zip(path):
    return _zip(path, {
        "personal_information/personal_information/personal_information.json": {
            "profile_user": [{"string_map_data": {"Username": {"value": "brennanjewelers"},
                                                  "Name": {"value": _mis("Brennan & Daughters ✨")}}}]},
        "your_instagram_activity/messages/inbox/lennyb_123/message_1.json": {
            "participants": [{"name": "Lenny B"}, {"name": _mis("Brennan & Daughters ✨")}],
            "messages": [
                {"sender_name": _mis("Brennan & Daughters ✨"), "timestamp_ms": 1795430000000,
                 "content": "Of course!"},
                {"sender_name": "Lenny B", "timestamp_ms": 1795429000000,
                 "content": _mis("Can you resize Maria's ring? 💍 Café meeting after")}],
            "title": "Lenny B", "thread_path": "inbox/lennyb_123"},
        "connections/followers_and_following/followers_1.json": [
            {"title": "", "media_list_data": [], "string_list_data": [
                {"href": "https://www.instagram.com/ana_r", "value": "ana_r",
                 "timestamp": 1790000000}]}],
        "your_instagram_activity/likes/liked_posts.json": {"likes_media_likes": [
            {"title": "someone", "string_list_data": [{"value": "x", "timestamp": 1}]}]},
    })


def test_fix_text_repairs_meta_mis_encoding_and_leaves_good_text():
    assert fix_text(_mis("Café 💍 Zoë")) == "Café 💍 Zoë"
    assert fix_text("Café 💍") == "Café 💍"  # already right: beyond Latin-1, left alone
    assert fix_text({"k": [_mis("ñ")]}) == {"k": ["ñ"]}


def test_instagram_export_messages_and_followers(store, tmp_path):
    report = import_export(store, instagram_zip(tmp_path / "instagram.zip"))
    assert (report.platform, report.owner) == ("instagram", "Brennan & Daughters ✨")
    assert report.imported == 2 and report.skipped == {"your likes": 1, "your messages": 1}
    with store.begin() as conn:
        texts = {r.kind: r.text for r in conn.execute(select(t.interactions))}
    assert texts["message"] == "Can you resize Maria's ring? 💍 Café meeting after"
    assert "follow" in texts
    again = import_export(store, tmp_path / "instagram.zip")
    assert (again.imported, again.duplicates) == (0, 2)


def test_facebook_export(store, tmp_path):
    path = _zip(tmp_path / "facebook.zip", {
        "personal_information/profile_information/profile_information.json": {
            "profile_v2": {"name": {"full_name": "Claire Brennan"}}},
        "your_facebook_activity/messages/inbox/anaruiz_9/message_1.json": {
            "participants": [{"name": "Ana Ruiz"}, {"name": "Claire Brennan"}],
            "messages": [{"sender_name": "Ana Ruiz", "timestamp_ms": 1795429000000,
                          "content": _mis("We lost power for days — is my watch repair ok?")}]},
        "connections/followers/people_who_followed_you.json": [
            {"name": _mis("José O'Neil"), "timestamp": 1790000000}],
    })
    report = import_export(store, path)
    assert (report.platform, report.imported) == ("facebook", 2)
    with store.begin() as conn:
        names = sorted(r.author_name for r in conn.execute(select(t.interactions)))
    assert names == ["Ana Ruiz", "José O'Neil"]


X_TWEETS = 'window.YTD.tweets.part0 = [{"tweet": {"id_str": "1", "full_text": "hi", ' \
           '"created_at": "Mon Nov 23 10:00:00 +0000 2026"}}]'


def test_x_archive_is_parsed_as_data_with_parts(store, tmp_path):
    evil = 'window.YTD.like.part0 = [{"like": {"tweetId": "5", "fullText": "x"}}]; ' \
           'require("child_process").exec("touch /tmp/pwned")'
    with pytest.raises(ExportError, match="not an X archive data file"):
        parse_js("data/like.js", evil.encode())
    path = _zip(tmp_path / "twitter.zip", {
        "data/account.js": 'window.YTD.account.part0 = [{"account": {"accountId": "42", '
                           '"username": "brennanjewelers"}}]',
        "data/tweets.js": X_TWEETS,
        "data/tweets-part1.js": X_TWEETS.replace("part0", "part1").replace('"1"', '"2"'),
        "data/like.js": 'window.YTD.like.part0 = [{"like": {"tweetId": "5", "fullText": "x"}}]',
        "data/direct-messages.js": 'window.YTD.direct_messages.part0 = [{"dmConversation": '
                                   '{"conversationId": "42-77", "messages": ['
                                   '{"messageCreate": {"id": "900", "senderId": "77", '
                                   '"recipientId": "42", "text": "Are you open on Sunday?", '
                                   '"createdAt": "2026-11-22T10:00:00.000Z"}}, '
                                   '{"messageCreate": {"id": "901", "senderId": "42", '
                                   '"recipientId": "77", "text": "Yes!", '
                                   '"createdAt": "2026-11-22T10:05:00.000Z"}}]}}]',
    })
    contents = read_export(path)
    assert contents.owner == "brennanjewelers"
    assert contents.skipped == {"your tweets": 2, "your likes": 1, "your messages": 1}
    report = import_export(store, path)
    assert report.imported == 1 and count(store, t.inbox_items) == 1


def test_cli_import_export(db_url, tmp_path):
    path = instagram_zip(tmp_path / "instagram.zip")
    result = CliRunner().invoke(app, ["--db", db_url, "import", "export", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 interactions imported" in result.output
    bad = _zip(tmp_path / "other.zip", {"readme.txt": "hello"})
    result = CliRunner().invoke(app, ["--db", db_url, "import", "export", str(bad)])
    assert result.exit_code == 2 and "not an Instagram" in result.output
