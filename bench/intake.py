"""``python -m bench import``: how long ``python -m generator import`` takes per document and per page.

The documents are made from the seed variants (``bench/documents.py``): one PDF of all five (about
30 pages, the issue's target: under 2 s), the same with each variant's steps as one ruled table
(a "kwaliteitskaart", rows broken across pages: the table reader's cost, D44), the same without
rules (cells apart by white space: the header-anchored reader's cost, D44), a PDF and a Word
file of the largest; and each seed's .txt where ``../shared/seeds`` is beside the repository.
Numbers only; nothing is asserted.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    from bench.documents import make_docx, print_pdfs, variant_html, variant_table_html
    from generator.intake.draft import import_document

    variants = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "protocols/variants").glob("*.yaml"))]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        largest = max(variants, key=lambda v: len(yaml.safe_dump(v)))
        print_pdfs({work / "all.pdf": "\n".join(variant_html(v) for v in variants),
                    work / "all-tables.pdf": "\n".join(variant_table_html(v) for v in variants),
                    work / "all-unruled.pdf": "\n".join(variant_table_html(v, ruled=False) for v in variants),
                    work / "largest.pdf": variant_html(largest)})
        make_docx(largest, work / "largest.docx")
        documents = [work / "all.pdf", work / "all-tables.pdf", work / "all-unruled.pdf", work / "largest.pdf",
                     work / "largest.docx"]
        seeds = ROOT.parent / "shared" / "seeds"
        documents += sorted(seeds.glob("*.txt")) if seeds.is_dir() else []
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import generator.intake.draft, pypdfium2, docx"], check=True)
        print(f"import: start-up of a process with the intake's libraries {time.perf_counter() - start:.2f} s")
        print(f"{'document':<32} {'pages':>5} {'blocks':>6} {'seconds':>8} {'per page':>9}")
        for document in documents:
            times = []
            for _ in range(3):
                start = time.perf_counter()
                intake = import_document(document, "bench", ROOT / "protocols", school_type="PO", write=False)
                times.append(time.perf_counter() - start)
            best = min(times)
            pages = intake.document.pages
            print(f"{document.name:<32} {pages:>5} {len(intake.blocks):>6} {best:>8.3f} {best / pages:>9.3f}")


if __name__ == "__main__":
    main()
