"""The `kbbot` command. Domain errors become one line on stderr and an exit code."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from feedback.errors import FeedbackError, FeedbackMissing
from index.errors import IndexCorrupt, IndexMismatch, IndexMissing, KBError, LintError
from ncci.errors import NcciError, NcciInputError, NcciNotLoaded

from . import ncci_cli
from .settings import ROOT, SettingError, Settings

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INDEX = 0, 1, 2, 3
GOLDEN_FILE = ROOT / "tests" / "eval" / "golden.jsonl"


def _progress_bar(total: int):
    from tqdm import tqdm

    bar = tqdm(total=total, desc="embedding", unit="text", file=sys.stderr)

    def advance(n: int) -> None:
        bar.update(n)
        if bar.n >= bar.total:
            bar.close()

    return advance


def _settings(args) -> Settings:
    return Settings.from_env(index_dir=getattr(args, "index_dir", None), kb_dir=getattr(args, "kb_dir", None),
                             model=getattr(args, "model", None))


def cmd_build(args) -> int:
    from index.build import build_index, staleness

    from .loading import make_embedder

    settings = _settings(args)
    embedder = make_embedder(settings)
    if not args.force and staleness(settings.kb_dir, settings.index_dir, embedder.sha256,
                                    settings.faiss_index) is None:
        embedder.prepare()
        print(f"index at {settings.index_dir} is up to date", file=sys.stderr)
        return EXIT_OK
    report = build_index(settings.kb_dir, settings.index_dir, embedder, _progress_bar, settings.faiss_index)
    print(f"built {report.manifest.article_count} articles, {report.chunks} chunks "
          f"({report.reused_chunks} reused, {report.encoded_texts} texts encoded) in "
          f"{report.seconds:.1f} s → {settings.index_dir} (version {report.manifest.index_version})",
          file=sys.stderr)
    return EXIT_OK


def cmd_lint(args) -> int:
    from index.lint import lint_kb
    from index.model import TokenCounter, resolve_model_dir

    settings = _settings(args)
    articles, problems = lint_kb(settings.kb_dir, TokenCounter(resolve_model_dir(settings.model or None)))
    for problem in problems:
        print(problem)
    print(f"{len(articles)} articles, {len(problems)} problem(s)", file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK


def _bot(args):
    from .loading import load_bot

    return load_bot(_settings(args), _progress_bar)


def cmd_ask(args) -> int:
    result = _bot(args).ask(args.question, top_k=args.top_k)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(result.answer)
    if result.pair_check:
        print()
        print(f"NCCI pair check ({result.pair_check.get('source', 'not checked')}): {result.pair_check['message']}")
    if result.citations:
        print()
        for c in result.citations:
            print(f"[{c.n}] {c.title} — {c.section}  {c.url}")
    return EXIT_OK


def cmd_search(args) -> int:
    hits = _bot(args).search(args.query, k=args.top_k)
    if args.json:
        print(json.dumps([{k: v for k, v in h.__dict__.items() if k != "chunk_id"} for h in hits],
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    for h in hits:
        print(f"{h.score:.3f}  {h.url}  {h.title} — {h.section}")
    return EXIT_OK


def cmd_eval(args) -> int:
    from bot import evaluate
    from bot.baseline import NaiveRAG

    try:
        items = evaluate.load_golden(args.file)
    except evaluate.GoldenError as exc:
        print(f"kbbot: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    bot = _bot(args)
    naive = NaiveRAG(bot.data.articles, bot.embedder)
    outcomes = {"kbbot": evaluate.run(items, lambda q: evaluate.bot_outcome(bot, q)),
                "naive": evaluate.run(items, lambda q: evaluate.baseline_outcome(naive, q))}
    report = {"file": str(args.file), "questions": len(items), "index_version": bot.index_version,
              "systems": {name: evaluate.score(items, found) for name, found in outcomes.items()}}
    if args.failures:
        report["failures"] = evaluate.failures(items, outcomes["kbbot"])
    if args.json:
        print(json.dumps(report, indent=2))
        return EXIT_OK
    print(evaluate.format_report(report))
    for failure in report.get("failures", []):
        print(f"  miss {failure['id']}: {failure['question']!r} expected {failure['expected']} "
              f"got {failure['got']}{' (abstained)' if failure['abstained'] else ''}")
    return EXIT_OK


def _prepare_in_child(args) -> int:
    """`kbbot build` in a child process: building and exporting the encoder import torch,
    and a server master that held it would hand it to every worker it forks."""
    flags = [item for flag, value in (("--index-dir", args.index_dir), ("--kb-dir", args.kb_dir),
                                      ("--model", args.model)) if value for item in (flag, str(value))]
    return subprocess.call([sys.executable, "-m", "web.cli", "build", *flags])


def cmd_serve(args) -> int:
    from .loading import ensure_index, make_embedder

    settings = _settings(args)
    if settings.auto_build:
        code = _prepare_in_child(args)
        if code != EXIT_OK:
            return code
    else:
        ensure_index(settings, make_embedder(settings))  # refuses a missing or stale index
    host, port = args.host or settings.host, args.port or settings.port
    from .serve import configure_logging, start_loading

    configure_logging()
    if args.dev:
        from . import create_app

        app = create_app(settings)
        start_loading(app)
        app.run(host=host, port=port, debug=False)
    else:
        from .serve import run

        run(settings, host, port, args.workers or settings.workers)
    return EXIT_OK


def _whole_number(value: str | None, default: int | None) -> int | None:
    """A flag's digits as a number; anything else as -1, which the range check refuses."""
    if value is None:
        return default
    return int(value) if value.strip().isdigit() else -1


def cmd_quiz(args) -> int:
    import random

    from learn.quiz import MAX_SEED, Curriculum, QuizError, check_count, check_seed

    from .terminal_quiz import ask_all, print_report, print_stats

    from ncci.check import PairChecker

    settings = _settings(args)
    curriculum = Curriculum.from_kb(settings.kb_dir, PairChecker(settings.ncci_path))
    try:
        if args.stats:
            print_stats(curriculum)
            return EXIT_OK
        n = check_count(_whole_number(args.n, 10))
        seed = check_seed(_whole_number(args.seed, random.randint(0, MAX_SEED)))
        items = curriculum.quiz(args.path, args.step, n, seed)
        answers = ask_all(items, args.answers, sys.stdin, sys.stdout)
    except QuizError as exc:
        print(f"kbbot: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    print_report(items, answers, seed, sys.stdout)
    return EXIT_OK


def cmd_report(args) -> int:
    from feedback.render import as_csv, as_text
    from feedback.report import report_from_store
    from feedback.store import FeedbackStore

    settings = _settings(args)
    store = FeedbackStore(args.feedback_db or settings.feedback_path, settings.feedback_retention_days)
    store.read()  # no database yet: say so before loading the model
    bot = _bot(args)
    report = report_from_store(store, list(bot.data.articles), bot.embedder.encode, args.since)
    sys.stdout.write(as_csv(report) if args.csv else as_text(report))
    return EXIT_OK


def _day(value: str):
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a date like 2026-01-31") from None


def _question_text(value: str) -> str:
    if not value.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return value


def _top_k(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 20:
        raise argparse.ArgumentTypeError("must be a whole number from 1 to 20")
    return int(value)


def _port(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError("must be a port number from 1 to 65535")
    return int(value)


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--index-dir", type=Path, help="index directory (default: KBBOT_INDEX_DIR or build/index)")
    common.add_argument("--kb-dir", type=Path, help="articles folder (default: KBBOT_KB_DIR or kb/)")
    common.add_argument("--model", help="sentence-transformers model directory (default: the packaged MiniLM)")
    top = argparse.ArgumentParser(prog="kbbot", description="Coding-guideline knowledge base and Q&A bot.")
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", parents=[common], help="build or refresh the index from kb/")
    p.add_argument("--force", action="store_true", help="rebuild even when the index is up to date")
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("lint", parents=[common], help="check every article; exit 1 on problems")
    p.set_defaults(func=cmd_lint)
    for name, func, arg, helptext in (("ask", cmd_ask, "question", "answer a question with citations"),
                                      ("search", cmd_search, "query", "show the ranked passages only")):
        p = sub.add_parser(name, parents=[common], help=helptext)
        p.add_argument(arg, type=_question_text)
        p.add_argument("--json", action="store_true", help="print JSON (the API's shape)")
        p.add_argument("--top-k", type=_top_k, default=5, help="citations to return (1–20)")
        p.set_defaults(func=func)
    p = sub.add_parser("eval", parents=[common], help="score the bot and a naive RAG pipeline on golden questions")
    p.add_argument("file", nargs="?", type=Path, default=GOLDEN_FILE, help="golden JSONL (default tests/eval/golden.jsonl)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--failures", action="store_true", help="also list the questions the bot got wrong")
    p.set_defaults(func=cmd_eval)
    p = sub.add_parser("quiz", parents=[common], help="a self-check quiz from a learning path, in the terminal")
    p.add_argument("--path", help="learning path id (default: questions from the whole knowledge base)")
    p.add_argument("--step", help="step id within the path (default: a mixed review of the whole path)")
    p.add_argument("--n", help="number of questions, 1–50 (default 10)")
    p.add_argument("--seed", help="seed: the same seed gives the same quiz (default: random, printed)")
    p.add_argument("--answers", help="answers given up front, e.g. '2,1,4' (1-based; 0 or empty = no answer)")
    p.add_argument("--stats", action="store_true", help="print how many questions the knowledge base yields")
    p.set_defaults(func=cmd_quiz)
    p = sub.add_parser("serve", parents=[common], help="serve the bot over HTTP (gunicorn)")
    p.add_argument("--host", help="address (default 127.0.0.1)")
    p.add_argument("--port", type=_port, help="port (default 8000)")
    p.add_argument("--workers", type=_top_k, help="gunicorn workers (default 2)")
    p.add_argument("--dev", action="store_true", help="Flask's development server instead of gunicorn")
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("report", parents=[common], help="the feedback report: declined questions, down votes, citations")
    p.add_argument("--since", type=_day, help="only rows from this day on (YYYY-MM-DD, UTC)")
    p.add_argument("--csv", action="store_true", help="print CSV (section, item, count, detail)")
    p.add_argument("--feedback-db", type=Path, help="feedback database (default: KBBOT_FEEDBACK_DB or "
                                                    "feedback.sqlite beside the index)")
    p.set_defaults(func=cmd_report)
    ncci_cli.add_commands(sub, common)
    return top


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except LintError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"kbbot: the knowledge base has {len(exc.problems)} problem(s); nothing was written",
              file=sys.stderr)
        return EXIT_PROBLEMS
    except (IndexMissing, IndexMismatch, IndexCorrupt, NcciNotLoaded, FeedbackMissing) as exc:
        print(f"kbbot: {exc}", file=sys.stderr)
        return EXIT_INDEX
    except NcciInputError as exc:
        print(f"kbbot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (KBError, SettingError, NcciError, FeedbackError) as exc:
        print(f"kbbot: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("kbbot: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
