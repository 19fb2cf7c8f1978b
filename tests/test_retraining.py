"""The offline retraining loop: corrected labels in, a better model for that site out, versions kept.

Real behaviour on small data: a site whose template ends every page with a line that reads like
prose (the shipped model keeps it), corrected on six pages, is cleaned properly on a seventh page
the retrained model never saw; the seeds still come out clean. Models are small (see SMALL) so
the whole file stays within a few minutes on two shared cores.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from jingwen.cli import main as cli_main
from service import Cleaner
from service.artifact import CURRENT_FILE, load_model, resolve_model_dir
from service.document import build_documents
from service import registry
from training.data import LabelledDataError, parse_record, read_labelled
from training.recipe import PROSE_CORPORA, PROSE_LABELLED, Recipe, role_weights, USER_WEIGHT_MAX, WEIGHT
from training.train import train
from training.uncertain import find_uncertain, read_documents, write_records
from tests.conftest import FIXTURES, SEEDS_DIR, models_dir

SMALL = {"oof_folds": 2, "stage2_iter": 20, "ngram_features": 2**14, "topic_features": 2**12}
SMALL_ARGS = [arg for k, v in SMALL.items() for arg in ("--param", f"{k}={v}")]

# -- an invented site: family stories, its template closing every page with a prose-like line ----
SITE = "nuanxin.example"
# A site line that reads like prose, which the shipped model keeps (0.5.0 already removed the
# previous one, "家是我们永远的港湾，本站收录的每一篇文章都是读者亲身经历的真实故事，欢迎投稿分享。", on most pages).
FOOTER = "我们相信每一个普通人的故事都值得被认真讲述，也感谢每一位读者多年来的陪伴与支持。"
STORIES = [
    ("父亲的自行车", "林晓", [
        "小时候家里最值钱的东西，就是父亲那辆二八式的永久牌自行车。每天清晨，他骑着它去镇上的粮站上班，车铃一响，我就知道新的一天开始了。",
        "上小学以后，父亲每天用这辆车送我上学。我坐在后座上，抱着他的腰，听他讲年轻时在工地上的事情，一路上的风都是暖的。",
        "后来家里买了电动车，那辆自行车就一直靠在院子的墙角。前几天回家，我看见父亲还在给它的链条上油，擦得锃亮。",
    ]),
    ("外婆的腌菜坛子", "陈雨桐", [
        "外婆家的灶房里摆着三个黑色的陶坛子，里面装着她亲手腌的雪里蕻和萝卜干。每到秋天收菜的时候，她就忙着洗菜、晾菜、撒盐。",
        "我总喜欢蹲在旁边看她一层一层地把菜压实，她说腌菜急不得，要等上一个多月，味道才能慢慢出来。",
        "如今外婆年纪大了，腌菜的活儿交给了舅妈。可每次吃到那股熟悉的咸香，我还是会想起她弯着腰压菜的样子。",
    ]),
    ("第一次给妈妈做饭", "周可", [
        "初二那年母亲节，我决定自己给妈妈做一顿饭。前一天晚上，我偷偷在本子上写好了菜单：番茄炒蛋、清炒土豆丝，再加一碗紫菜汤。",
        "第二天一早我就钻进厨房，结果土豆丝切得有粗有细，鸡蛋也炒糊了一半。妈妈下班回来，看着一桌卖相不好的菜，却笑得特别开心。",
        "她把每道菜都吃得干干净净，还说这是她吃过最好吃的一顿饭。从那以后，我每个周末都会跟着她学做一道新菜。",
    ]),
    ("弟弟的作业本", "吴思远", [
        "弟弟今年上三年级，每天晚上写作业都要磨蹭到九点多。为了这件事，爸妈没少生气，他自己也常常委屈得掉眼泪。",
        "有一天我翻开他的作业本，发现每一页的角落里都画着小小的恐龙。原来他一边写字一边在想着明天要和同学讲的恐龙故事。",
        "我没有告诉爸妈，而是跟弟弟约好，先认真写完作业，再陪他一起画一只最大的霸王龙。那天晚上，他八点不到就把作业写完了。",
    ]),
    ("爷爷的老收音机", "郑南", [
        "爷爷有一台用了四十多年的红灯牌收音机，外壳已经掉了漆，天线也用胶布缠过好几圈。每天中午吃完饭，他都要准时打开听评书。",
        "我小时候常常趴在他的腿上，跟着收音机里的声音一起听《岳飞传》。爷爷听到精彩的地方，还会拍着大腿叫好。",
        "去年我给爷爷买了一个智能音箱，可他用了没几天，又把老收音机搬了出来。他说，还是这个声音听着踏实。",
    ]),
    ("搬家那天", "黄一凡", [
        "我们在老城区住了整整十八年，今年春天终于搬进了新小区。搬家那天，院子里的邻居们都出来帮忙，大家一趟一趟地往楼下搬箱子。",
        "对门的王阿姨塞给妈妈一袋自己包的饺子，说到了新家第一顿一定要吃饺子。楼下的李大爷也把他养了多年的一盆吊兰送给了我们。",
        "车子开出巷口的时候，我回头看了一眼那栋灰色的旧楼。窗台上还留着我小时候贴的贴纸，已经褪成了淡淡的颜色。",
    ]),
    # never trained on: the retrained model is judged on these
    ("母亲的针线盒", "刘静", [
        "母亲有一个铁皮做的针线盒，上面印着已经模糊的牡丹花。盒子里整整齐齐地放着各种颜色的线团、顶针和大大小小的纽扣。",
        "小时候我的衣服破了，她总是在灯下一针一线地缝好，有时候还会在补丁上绣一朵小花，让我穿出去也不觉得难为情。",
        "现在衣服破了大多直接扔掉，可母亲依然留着那个针线盒。每次我回家，她都要检查一遍我的衣扣有没有松。",
    ]),
    ("陪父亲去钓鱼", "马骁", [
        "父亲退休以后迷上了钓鱼，每个周六天不亮就背着鱼竿出门。上个月我特意请了假，陪他去城郊的水库待了一整天。",
        "我们坐在岸边的小马扎上，一上午也没钓到几条鱼。父亲却一点也不着急，他说钓鱼钓的是心情，不是鱼。",
        "傍晚回家的路上，他把仅有的两条鲫鱼小心地装进桶里，说要回去给母亲炖一锅鲜鱼汤。",
    ]),
]
TRAIN_PAGES = range(6)
UNSEEN_PAGES = (6, 7)
FOOTER_INDEX = 7


def page(i: int) -> list[tuple[str, str]]:
    """Page ``i`` of the site as (line, true label)."""
    title, author, body = STORIES[i]
    return [
        ("暖心故事网 | 首页 | 亲情故事 | 校园故事 | 职场故事 | 我要投稿", "chrome"),
        ("当前位置：首页 > 亲情故事 > 正文", "chrome"),
        (title, "content"),
        (f"作者：{author}  发布时间：2023-0{i % 9 + 1}-1{i}  阅读：{120 + 37 * i}次", "chrome"),
        *[(t, "content") for t in body],
        (FOOTER, "chrome"),
        (f"上一篇：{STORIES[i - 1][0]}  下一篇：{STORIES[(i + 1) % len(STORIES)][0]}", "chrome"),
        ("Copyright © 2023 暖心故事网 版权所有", "chrome"),
    ]


def page_text(i: int) -> str:
    return "\n".join(t for t, _ in page(i))


def labelled_record(i: int) -> dict:
    return {"id": f"nuanxin-{i}", "site": SITE, "paragraphs": [{"text": t, "label": lab} for t, lab in page(i)]}


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def labels_of(cleaner: Cleaner, text: str) -> list[str]:
    return [p.label for p in cleaner.clean(text).paragraphs]


@pytest.fixture(scope="module")
def models_home(tmp_path_factory) -> Path:
    """A models directory serving a copy of the shipped model, as a user's machine would have."""
    home = tmp_path_factory.mktemp("models")
    shipped = resolve_model_dir(models_dir())
    shutil.copytree(shipped, home / shipped.name)
    (home / CURRENT_FILE).write_text(shipped.name + "\n", encoding="utf-8")
    return home


@pytest.fixture(scope="module")
def site_data(tmp_path_factory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("data") / "nuanxin.jsonl", [labelled_record(i) for i in TRAIN_PAGES])


def site_recipe(site_data: Path, models_home: Path, **kw) -> Recipe:
    base = dict(
        seeds=SEEDS_DIR / "labelled.jsonl", devset=None, corpora=FIXTURES / "corpora", user_data=[site_data],
        synthetic_docs=40, seed=7, params=SMALL, served_models=models_home, cv_folds=0,
    )
    base.update(kw)
    return Recipe(**base)


@pytest.fixture(scope="module")
def retrained(site_data, models_home):
    out = models_home / "nuanxin-1"
    model, manifest = train(site_recipe(site_data, models_home), out, version="nuanxin-1")
    return out, model, manifest


# -- the site's chrome line, before and after ----------------------------------------------------

def test_shipped_model_keeps_the_sites_prose_like_footer(cleaner):
    """The premise: without corrections the line survives cleaning (if this fails, pick another line).

    It must on the unseen pages the retrained model is checked on, and on most training pages."""
    for i in UNSEEN_PAGES:
        assert labels_of(cleaner, page_text(i))[FOOTER_INDEX] == "content", i
    kept = [labels_of(cleaner, page_text(i))[FOOTER_INDEX] == "content" for i in TRAIN_PAGES]
    assert sum(kept) >= len(TRAIN_PAGES) - 1, kept


def test_retraining_on_a_few_corrected_pages_removes_the_line_on_an_unseen_page(retrained, seed_texts):
    out, _, manifest = retrained
    new = Cleaner(load_model(out))
    for i in UNSEEN_PAGES:
        labels = labels_of(new, page_text(i))
        assert labels[FOOTER_INDEX] == "chrome", (i, labels)
        truth = [lab for _, lab in page(i)]
        assert labels[2] == "content" and labels[4:7].count("content") >= 2, (i, labels, truth)
    # the seeds' quality holds: seed 002's spam line and breadcrumb are still removed
    seed002 = new.clean(seed_texts["002"])
    text = seed_texts["002"]
    by_text = {text[p.start : p.end]: p for p in seed002.paragraphs}
    spam = next(p for t, p in by_text.items() if t.startswith("日韩精品电影一区亚洲"))
    crumb = next(p for t, p in by_text.items() if t.startswith("當前位置"))
    assert spam.label == "spam" and not spam.kept
    assert crumb.label == "chrome" and not crumb.kept
    assert "厚植新時代民政事業改革發展的根基" in seed002.text
    # what the manifest says about this run
    training = manifest["training"]
    assert training["documents"]["user"] == len(TRAIN_PAGES)
    assert training["synthesis"]["prose_source"] == PROSE_CORPORA
    assert training["lexicon"]["source"] == "corpora"
    assert WEIGHT["user"] <= training["weights"]["user"] <= USER_WEIGHT_MAX
    assert manifest["metrics"]["served_model_on_user"]["paragraphs"] == sum(len(page(i)) for i in TRAIN_PAGES)


def test_same_inputs_and_seed_give_the_same_predictions(retrained, site_data, models_home, tmp_path, seed_texts):
    _, model, _ = retrained
    again, _ = train(site_recipe(site_data, models_home), tmp_path / "again", version="nuanxin-1")
    docs = build_documents([page_text(i) for i in UNSEEN_PAGES] + list(seed_texts.values()))
    for (a, a1), (b, b1) in zip(model.predict_proba_docs(docs), again.predict_proba_docs(docs)):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-6)
        np.testing.assert_allclose(a1, b1, rtol=0, atol=1e-6)


def test_user_weight_grows_to_its_share_but_is_capped():
    doc = read_labelled(SEEDS_DIR / "labelled.jsonl")[0]
    few = role_weights([doc] * 200 + [doc], ["synthetic"] * 200 + ["user"])
    assert few["user"] == USER_WEIGHT_MAX
    many = role_weights([doc] * 10 + [doc] * 10, ["synthetic"] * 10 + ["user"] * 10)
    assert many["user"] == WEIGHT["user"]


# -- eval side by side ---------------------------------------------------------------------------

def test_eval_scores_two_models_on_the_same_data(retrained, site_data, models_home, capsys):
    shipped = resolve_model_dir(models_dir()).name
    held_out = write_jsonl(site_data.parent / "unseen.jsonl", [labelled_record(i) for i in UNSEEN_PAGES])
    code = cli_main(["eval", "--models-dir", str(models_home), "--model", shipped, "--model", "nuanxin-1",
                     "--data", str(held_out), "--json"])
    assert code == 0
    reports = json.loads(capsys.readouterr().out)
    assert len(reports) == 2 and list(reports)[0].startswith(shipped) and list(reports)[1] == "nuanxin-1 (nuanxin-1)"
    for report in reports.values():  # each model scored on every paragraph of the same data
        assert report["paragraphs"] == sum(len(page(i)) for i in UNSEEN_PAGES)
        assert sum(sum(row.values()) for row in report["line"]["confusion"].values()) == report["paragraphs"]
    code = cli_main(["eval", "--models-dir", str(models_home), "--model", shipped, "--model", "nuanxin-1", "--data", str(held_out)])
    text = capsys.readouterr().out
    assert code == 0 and text.count("== ") == 2 and text.count("    chrome     P ") == 4  # by line and by character, per model


# -- versions: list, promote, rollback -----------------------------------------------------------

def test_promote_and_rollback_switch_current_atomically_and_keep_history(models_home, tmp_path, capsys):
    shipped = resolve_model_dir(models_home)
    home = tmp_path / "models"
    home.mkdir()
    for name in ("a", "b"):
        shutil.copytree(shipped, home / name)
    assert registry.current_name(home) is None
    assert registry.promote(home, "a") == registry.Switch(None, "a")
    assert registry.promote(home, "b") == registry.Switch("a", "b")
    assert (home / "CURRENT").read_text() == "b\n"
    assert [e.name for e in registry.history(home)] == ["a"]
    assert not registry.promote(home, "b").changed

    assert cli_main(["models", "list", "--models-dir", str(home), "--verify"]) == 0
    out = capsys.readouterr().out.splitlines()
    rows = {line[2:].split()[0]: line for line in out[1:]}
    assert rows["b"].startswith("* ") and rows["a"].startswith("  ")
    assert "synthetic keep-F1" in rows["a"] and "[verified]" in rows["a"]

    assert cli_main(["models", "rollback", "--models-dir", str(home)]) == 0
    assert "a is served again" in capsys.readouterr().out
    assert registry.current_name(home) == "a" and registry.history(home) == []
    assert load_model(home).path == home / "a"
    with pytest.raises(registry.RegistryError, match="nothing to roll back to"):
        registry.rollback(home)
    assert cli_main(["models", "rollback", "--models-dir", str(home)]) == 1

    # a model that does not verify is never promoted, and CURRENT stays as it was
    with open(home / "b" / "model.joblib", "r+b") as fh:
        fh.seek(100)
        byte = fh.read(1)
        fh.seek(100)
        fh.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(registry.RegistryError, match="SHA-256"):
        registry.promote(home, "b")
    assert registry.current_name(home) == "a"
    assert cli_main(["models", "promote", "../a", "--models-dir", str(home)]) == 1
    assert cli_main(["models", "list", "--models-dir", str(home), "--verify", "--json"]) == 0
    listed = {e["name"]: e for e in json.loads(capsys.readouterr().out)}
    assert listed["a"]["current"] and listed["a"]["verified"] and listed["b"]["verified"] is False


def test_an_interrupted_promotion_leaves_a_usable_history(models_home, tmp_path):
    shipped = resolve_model_dir(models_home)
    home = tmp_path / "models"
    home.mkdir()
    for name in ("a", "b", "c"):
        shutil.copytree(shipped, home / name)
    registry.promote(home, "a")
    registry.promote(home, "b")
    # a crash after HISTORY was appended but before CURRENT moved: its last entry equals CURRENT
    (home / "HISTORY").write_text("a\t-\nb\t-\n", encoding="utf-8")
    assert registry.rollback(home) == registry.Switch("b", "a")
    registry.promote(home, "c")
    assert [e.name for e in registry.history(home)] == ["a"]


# -- the round trip: clean --jsonl output, corrected by hand, trained on -----------------------

def test_clean_output_corrected_by_hand_trains_without_conversion(models_home, tmp_path, capsys):
    """`clean --jsonl` output plus the original text (what `--keep-original` adds), labels flipped
    by hand, and raw documents annotated with offsets: `train` reads both; with no corpora the
    synthetic pages take their prose from these documents and the lexicon from the served model."""
    hard = [json.loads(line) for line in (FIXTURES / "hard_cases.jsonl").read_text("utf-8").splitlines() if line.strip()]
    docs = [{"id": f"nuanxin-{i}", "url": f"https://www.{SITE}/story/{i}.html", "text": page_text(i)} for i in TRAIN_PAGES]
    docs += [{"id": h["id"], "site": h["site"], "text": "\n".join(p["text"] for p in h["paragraphs"])} for h in hard]
    src = write_jsonl(tmp_path / "docs.jsonl", docs)
    cleaned = tmp_path / "cleaned.jsonl"
    assert cli_main(["clean", "--jsonl", str(src), "-o", str(cleaned), "--workers", "0", "--no-progress",
                     "--models-dir", str(models_home)]) == 0
    capsys.readouterr()
    out_records = [json.loads(line) for line in cleaned.read_text("utf-8").splitlines()]
    truth = {f"nuanxin-{i}": [lab for _, lab in page(i)] for i in TRAIN_PAGES} | {h["id"]: [p["label"] for p in h["paragraphs"]] for h in hard}
    originals = {d["id"]: d["text"] for d in docs}

    # as is, the output cannot be trained on: its text is the cleaned text; the error says why
    raw = write_jsonl(tmp_path / "raw.jsonl", out_records)
    with pytest.raises(LabelledDataError, match=r"raw\.jsonl:1: paragraph \d+: span .* --keep-original"):
        read_labelled(raw)

    edited = []
    flipped = 0
    for r in out_records:
        assert [p["label"] for p in r["paragraphs"]] and "original_text" not in r
        for p, label in zip(r["paragraphs"], truth[r["id"]], strict=True):  # the hand correction
            flipped += p["label"] != label
            p["label"] = label
        if r["id"].startswith("nuanxin"):
            r["original_text"] = originals[r["id"]]  # what `clean --keep-original` will add
        else:
            r["text"] = originals[r["id"]]  # a raw document annotated by hand: offsets index its text
        edited.append(r)
    assert flipped >= len(TRAIN_PAGES)  # at least the footer on every page of the site
    data = write_jsonl(tmp_path / "edited.jsonl", edited)
    parsed = read_labelled(data)
    assert [d.labels for d in parsed] == [truth[r["id"]] for r in edited]
    assert [d.texts[FOOTER_INDEX] for d in parsed[: len(TRAIN_PAGES)]] == [FOOTER] * len(TRAIN_PAGES)
    assert {d.group for d in parsed} == {SITE} | {h["site"] for h in hard}

    out = models_home / "roundtrip"
    code = cli_main(["train", "--data", str(data), "--out", str(out), "--corpora", str(tmp_path / "no-corpora"),
                     "--no-devset", "--synthetic", "30", "--seed", "3", "--cv-folds", "2", "--version", "rt-1", *SMALL_ARGS])
    assert code == 0
    printed = capsys.readouterr().out
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    training = manifest["training"]
    assert training["documents"] == {"seeds": 5, "user": len(edited), "synthetic": 30}
    assert training["synthesis"]["prose_source"] == PROSE_LABELLED
    assert training["lexicon"]["source"] == "served-model" and training["lexicon"]["terms"] > 1000
    assert training["evaluation"]["cross_validation"]["folds"] == 2
    assert training["evaluation"]["cross_validation"]["grouped_by"] == "site"
    assert training["evaluation"]["served_model"]["name"] == resolve_model_dir(models_home).name
    assert manifest["metrics"]["user_cv"]["paragraphs"] == sum(len(t) for t in truth.values())
    assert "prose from labelled-documents" in printed and "from served model" in printed
    assert "this recipe (2-fold CV)" in printed and f"served {resolve_model_dir(models_home).name}" in printed
    assert "chrome removed" in printed
    retrained = Cleaner(load_model(out))
    assert labels_of(retrained, page_text(6))[FOOTER_INDEX] == "chrome"
    assert retrained.model.classifier.lexicon_terms["porn"]  # the served model's spam knowledge carried over


def test_train_refuses_unknown_parameters_and_negative_folds(tmp_path, capsys):
    assert cli_main(["train", "--out", str(tmp_path / "m"), "--param", "stage2_iters=5"]) == 2
    assert "stage2_iters" in capsys.readouterr().err
    assert cli_main(["train", "--out", str(tmp_path / "m"), "--cv-folds", "-1"]) == 2
    assert not (tmp_path / "m").exists()


# -- the labelled-data reader --------------------------------------------------------------------

def test_offset_records_are_checked_against_the_text_they_index(tmp_path):
    text = "导航 | 首页\n\n  正文第一段。\r\n正文第二段。"
    ok = {"id": "x", "original_text": text, "text": "正文第一段。\n正文第二段。", "paragraphs": [
        {"start": 0, "end": 7, "label": "chrome", "scores": {}, "kept": False},
        {"start": 11, "end": 17, "label": "content"},
        {"start": 19, "end": 25, "label": "content"},
    ]}
    doc = parse_record(ok, "f:1")
    assert doc.texts == ["导航 | 首页", "正文第一段。", "正文第二段。"] and doc.labels == ["chrome", "content", "content"]
    assert "text" not in doc.meta and "original_text" not in doc.meta
    raw = {"id": "y", "text": text, "paragraphs": ok["paragraphs"]}
    assert parse_record(raw, "f:2").texts == doc.texts
    bad_span = {**ok, "paragraphs": [{**ok["paragraphs"][0], "end": 6}, *ok["paragraphs"][1:]]}
    with pytest.raises(LabelledDataError, match=r"f:3: paragraph 0: span \[0, 6\) is not a paragraph of 'original_text'"):
        parse_record(bad_span, "f:3")
    with pytest.raises(LabelledDataError, match=r"f:4: 1 paragraph\(s\) of 'original_text' have no label, the first at \[19, 25\)"):
        parse_record({**ok, "paragraphs": ok["paragraphs"][:2]}, "f:4")
    with pytest.raises(LabelledDataError, match="f:5: paragraph 1: unknown label 'contnet'"):
        parse_record({**ok, "paragraphs": [ok["paragraphs"][0], {**ok["paragraphs"][1], "label": "contnet"}, ok["paragraphs"][2]]}, "f:5")
    with pytest.raises(LabelledDataError, match="f:6: paragraph 0: 'start' and 'end' must be integers"):
        parse_record({**ok, "paragraphs": [{"start": "0", "end": 7, "label": "chrome"}]}, "f:6")
    with pytest.raises(LabelledDataError, match="already labelled by paragraph 0"):
        parse_record({**ok, "paragraphs": [ok["paragraphs"][0], *ok["paragraphs"]]}, "f:7")
    path = write_jsonl(tmp_path / "mixed.jsonl", [labelled_record(0), ok, {"id": "z", "paragraphs": [{"start": 0, "end": 2, "label": "chrome"}]}])
    with pytest.raises(LabelledDataError, match=r"mixed\.jsonl:3: paragraphs give offsets but the record has neither"):
        read_labelled(path)


# -- uncertain paragraphs, ready to correct ------------------------------------------------------

def test_uncertain_writes_labelled_records_around_the_least_certain_paragraphs(cleaner, models_home, tmp_path, capsys, seed_texts):
    docs = [{"id": f"nuanxin-{i}", "site": SITE, "text": page_text(i)} for i in range(len(STORIES))]
    docs += [{"id": k, "text": t} for k, t in seed_texts.items()]
    src = write_jsonl(tmp_path / "in.jsonl", docs)
    records = find_uncertain(cleaner.model.classifier, read_documents(src), n=6, context=2, model_name="m")
    marked = [p for r in records for p in r["paragraphs"] if p["uncertain"]]
    assert len(marked) == 6
    assert len({p["text"] for p in marked}) == 6  # a line repeated by the site is offered once
    margins = [r["score_margin"] for r in records]
    assert margins == sorted(margins)
    assert max(p["score_margin"] for p in marked) <= 1.0
    for r in records:
        first, end = r["window"]
        assert end - first == len(r["paragraphs"]) and any(p["uncertain"] for p in r["paragraphs"])
        source = next(d for d in docs if d["id"] == r["source_id"])
        lines = [line for line in source["text"].split("\n") if line.strip()]
        assert [p["text"] for p in r["paragraphs"]] == [line.strip() for line in lines[first:end]]
        for k, p in enumerate(r["paragraphs"]):
            if p["uncertain"]:  # +-2 neighbours around it, as far as the document goes
                at = first + k
                assert first <= max(0, at - 2) and end >= min(len(lines), at + 3)
                assert set(p["scores"]) == {"content", "chrome", "spam", "off_topic"}

    out = tmp_path / "to_label.jsonl"
    assert cli_main(["uncertain", str(src), "-n", "6", "-o", str(out), "--models-dir", str(models_home)]) == 0
    assert "6 paragraphs" in capsys.readouterr().err
    parsed = read_labelled(out)
    assert sum(len(d.texts) for d in parsed) == sum(len(r["paragraphs"]) for r in records)
    assert all(d.group in {SITE, *seed_texts} for d in parsed)  # grouped by site, else by source document
    assert write_records(records, tmp_path / "again.jsonl") == len(parsed)


def test_clean_keep_original_output_corrected_by_hand_is_training_data(tmp_path):
    """The round trip through the real command line: clean --keep-original, flip labels, read as labelled data."""
    import subprocess
    import sys

    from tests.conftest import models_dir as shipped_models_dir

    src = write_jsonl(tmp_path / "in.jsonl", [{"id": f"p{i}", "text": page_text(i), "url": "http://nuanxin.example/"} for i in UNSEEN_PAGES])
    out = tmp_path / "out.jsonl"
    run = subprocess.run(
        [sys.executable, "-m", "jingwen", "clean", "-i", str(src), "-o", str(out), "--keep-original", "--workers", "0",
         "--no-progress", "--models-dir", str(shipped_models_dir())],
        capture_output=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr.decode()
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["original_text"] for r in rows] == [page_text(i) for i in UNSEEN_PAGES]
    for r in rows:  # the hand correction: the site's footer is chrome
        r["paragraphs"][FOOTER_INDEX]["label"] = "chrome"
    edited = write_jsonl(tmp_path / "edited.jsonl", rows)
    docs = read_labelled(edited)
    assert [d.labels[FOOTER_INDEX] for d in docs] == ["chrome", "chrome"]
    assert docs[0].texts == [t for t, _ in page(UNSEEN_PAGES[0])]
