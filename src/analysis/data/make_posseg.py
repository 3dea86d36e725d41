"""Makes jieba-posseg.txt, once, by hand, from the tables of Python jieba's part-of-speech HMM
(jieba/posseg/{prob_start,prob_trans,prob_emit,char_state_tab}.py, jieba 0.42.1, MIT):

    pip install jieba==0.42.1
    python3 src/analysis/data/make_posseg.py

The states are (position, tag) pairs, position one of B M E S; they are numbered in the order
Python compares them (as tuples of strings), so that a tie broken by `max` over (probability,
state) is broken the same way by comparing numbers. Lines:

    S <position> <tag> <start log-probability>      one a state, in number order
    T <from> <to>:<log-probability> ...             transitions of a state
    E <state> <char>:<log-probability> ...          emissions of a state
    C <char> <state> ...                            the states a character may take

Floats are written with repr(), which reads back as the same double.
"""
from jieba.posseg.char_state_tab import P as char_states
from jieba.posseg.prob_emit import P as emit
from jieba.posseg.prob_start import P as start
from jieba.posseg.prob_trans import P as trans

states = sorted(trans)
assert set(states) == set(emit) and set(start) <= set(states)
number = {s: i for i, s in enumerate(states)}
with open("src/analysis/data/jieba-posseg.txt", "w", encoding="utf-8", newline="\n") as f:
    for s in states:
        f.write(f"S {s[0]} {s[1]} {start.get(s, float('-inf'))!r}\n")
    for s in states:
        pairs = " ".join(f"{number[t]}:{p!r}" for t, p in sorted(trans[s].items()))
        f.write(f"T {number[s]} {pairs}\n".rstrip(" \n") + "\n")
    for s in states:
        pairs = " ".join(f"{c}:{p!r}" for c, p in sorted(emit[s].items()))
        f.write(f"E {number[s]} {pairs}\n".rstrip(" \n") + "\n")
    for c in sorted(char_states):
        f.write(f"C {c} {' '.join(str(number[s]) for s in sorted(char_states[c]))}\n")
