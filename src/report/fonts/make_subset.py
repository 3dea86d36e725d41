"""Makes NotoSansSC-Regular-subset.otf, the font embedded in wenxi's charts.

Noto Sans SC Regular (SIL Open Font License 1.1, OFL.txt beside this file) comes from the PyPI
package pylopdf-fonts-zh-cn 0.1.1; fonttools cuts it down to GB2312 (6,763 hanzi and its
symbols), ASCII, CJK punctuation, full-width forms and every character of the bundled corpus
and theme lexicon, from 8.3 MB to 1.7 MB. Run from the repository root:

    pip install fonttools==4.* && pip download --no-deps -d /tmp/font pylopdf-fonts-zh-cn==0.1.1
    (cd /tmp/font && python3 -m zipfile -e pylopdf_fonts_zh_cn-0.1.1-py3-none-any.whl x)
    python3 src/report/fonts/make_subset.py /tmp/font/x/pylopdf_fonts_zh_cn/NotoSansSC-Regular.otf
"""
import pathlib
import subprocess
import sys

here = pathlib.Path(__file__).parent
root = here.parent.parent.parent
chars = set()
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
chars.update(chr(c) for c in range(0x20, 0x7F))
chars.update(chr(c) for c in range(0x3000, 0x3040))
chars.update(chr(c) for c in range(0xFF01, 0xFF5F))
chars.update("×÷·—…‘’“”→←↑↓①②③④⑤⑥⑦⑧⑨⑩")
for name in ["corpus/epidemic-community-essays.txt", "corpus/themes.toml"]:
    chars.update((root / name).read_text(encoding="utf-8"))
chars -= {"\n", "\r"}
text = here / "subset-chars.txt"
text.write_text("".join(sorted(chars)), encoding="utf-8")
subprocess.run(
    [
        "pyftsubset", sys.argv[1], f"--text-file={text}", f"--output-file={here / 'NotoSansSC-Regular-subset.otf'}",
        "--layout-features=*", "--no-hinting", "--desubroutinize",
    ],
    check=True,
)
text.unlink()
