"""Hand-run sanity check of the extractive writer on real news (not a pytest test).

Groups the ECB+ dev clusters (JSON lines: doc_id, topic, event, sentences) into stories by
event, writes an article for each and prints: the share of sentences whose quotes are
verbatim in their documents (must be 100%), facts per story, words per article and time per
story. Usage::

    .venv/bin/python bench/sanity_write_ecbplus.py [../shared/eval/events/ecbplus-dev.jsonl]
        [--show N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path

from newsdesk.records import Article, Document, Story
from newsdesk.write import write_article

DEFAULT = Path("/work/shared/eval/events/ecbplus-dev.jsonl")


def load_stories(path: Path) -> list[Story]:
    grouped: dict[str, list[Document]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        document = Document.model_validate({"id": row["doc_id"], "sentences": row["sentences"]})
        grouped[str(row["event"])].append(document)
    return [Story(id=event, documents=docs) for event, docs in sorted(grouped.items())]


def check(article: Article, story: Story) -> tuple[int, int]:
    """(verbatim citations, all citations) over sentences, standfirst and facts."""
    texts = {d.id: d.text for d in story.documents}
    citations = [c for s in article.sentences() for c in s.citations]
    citations += article.standfirst_citations
    citations += [c for f in article.facts for c in f.citations]
    good = sum(c.quote in texts.get(c.document, "") for c in citations)
    return good, len(citations)


def show(article: Article) -> None:
    print(f"\n=== {article.story}: {article.headline}\n{article.standfirst}")
    for section in article.sections:
        print(f"## {section.heading}")
        for paragraph in section.paragraphs:
            print("   " + " ".join(s.text for s in paragraph))
    for fact in article.facts:
        print(f"   - {fact.aspect}: {fact.detail}")
    for disagreement in article.disagreements:
        print(f"   ! {disagreement.topic}: {[c.text for c in disagreement.claims]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--show", type=int, default=0, help="print the first N articles")
    args = parser.parse_args()
    stories = load_stories(args.path)
    good = total = sentences = contained = 0
    facts, words, seconds, headline_words = [], [], [], []
    for number, story in enumerate(stories):
        started = time.perf_counter()
        article = write_article(story)
        seconds.append(time.perf_counter() - started)
        ok, count = check(article, story)
        good, total = good + ok, total + count
        body = article.sentences()
        sentences += len(body)
        contained += sum(s.text in s.citations[0].quote for s in body)
        facts.append(len(article.facts))
        words.append(sum(len(s.text.split()) for s in body) + len(article.standfirst.split()))
        headline_words.append(len(article.headline.split()))
        if number < args.show:
            show(article)
    print(f"stories: {len(stories)}  documents: {sum(len(s.documents) for s in stories)}")
    print(f"verbatim quotes: {good}/{total} = {100 * good / max(total, 1):.1f}%")
    print(f"sentence text inside its first quote: {contained}/{sentences}")
    print(f"facts per story: mean {statistics.mean(facts):.2f}, min {min(facts)}, max {max(facts)}")
    print(
        f"words per article: mean {statistics.mean(words):.0f}, min {min(words)}, max {max(words)}"
    )
    print(f"headline words: max {max(headline_words)}")
    print(f"seconds per story: mean {statistics.mean(seconds):.3f}, max {max(seconds):.3f}")


if __name__ == "__main__":
    main()
