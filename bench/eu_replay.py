#!/usr/bin/env python3
"""Reference re-implementation of the eGovernment Benchmark 2023 scoring (EC "Final Results" workbook).

Reads the Final Results workbook (full 35-country file or the AT/MT/NO cut), recomputes every score that
can be derived from the raw mystery-shopping answers (sheets 3b, 4b, 5, 6 plus the landscaping flags of
3a/4a), and compares with the published values:

  service level      sheet 3a (6 national service scores) and 4a (3 cross-border service scores)
  indicator level    sheet 1, the 14 indicators per life event, 2022 and 2021 data collections
  benchmark level    sheet 1, the 4 key dimensions per life event
  life event overall sheet 1, 0. OVERALL SCORE per life event
  country per year   sheet 1, Average (2022) / Average (2021)
  biennial           sheet 1, Biennial average 2021 + 2022
  business/citizen   sheet 1, Business / Citizen life events 2021 + 2022
  government level   sheet 1, Central / Regional / Local
  DESI / graphs      sheet 7 (DESI indicators) and sheet 8 (biennial overall)
  history            sheet 1, 2016-2020: only the averages and biennials can be re-derived (from the
                     published life-event columns); the life-event values themselves have no raw data.

Usage:  python3 bench/eu_replay.py [WORKBOOK.xlsx] [--expected expected.csv|''] [--no-override]
                             [--variant NAME | --variants] [-v]

Rules: docs/eu-benchmark.md. An independent cross-check of the Rust replay (`egovwatch replay
eu-benchmark`), kept beside the other peers of bench/; needs openpyxl (pip install openpyxl).

Only dependency: openpyxl.  Answers are normalised (Yes/yes/YEs -> Y, No/NO/no -> N, NR/nr/Nr/NR* -> NR,
'.' -> '.', '' / blank -> None).  A score of None means "no score" (published as '.' or '').
"""
import argparse
import collections
import csv
import decimal
import math
import os
import re
import sys

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_XLSX = os.path.join(HERE, '..', 'data', 'eu-egbr-2023', 'egbr-2023-final-results-AT-MT-NO.xlsx')
DEFAULT_CSV = os.path.join(HERE, '..', 'data', 'eu-egbr-2023', 'expected-AT-MT-NO.csv')

# --------------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------------

def excel_round(x, n=0):
    """Excel ROUND (half away from zero) on the shortest decimal representation."""
    if x is None:
        return None
    q = decimal.Decimal(1).scaleb(-n)
    return float(decimal.Decimal(repr(x)).quantize(q, rounding=decimal.ROUND_HALF_UP))


def mean(values):
    v = [a for a in values if a is not None]
    return sum(v) / len(v) if v else None


def wmean(pairs):
    """Weighted mean over (weight, value) pairs, weights re-spread over the values present."""
    p = [(w, v) for w, v in pairs if v is not None]
    return sum(w * v for w, v in p) / sum(w for w, _ in p) if p else None


def norm_answer(v):
    """Normalise one mystery-shopping answer."""
    if v is None:
        return None
    if isinstance(v, bool):
        return 'Y' if v else 'N'
    if isinstance(v, (int, float)):
        return None if (isinstance(v, float) and math.isnan(v)) else v
    s = v.strip().lower()
    if s == '':
        return None
    if s == 'yes':
        return 'Y'
    if s == 'no':
        return 'N'
    if s.startswith('nr'):          # NR, nr, Nr, 'nr ', NR*
        return 'NR'
    if s == '.':
        return '.'
    try:
        return float(s)
    except ValueError:
        return 'TEXT'               # free text (only 4b G3_8, which is never scored)


def score_cell(v):
    """A published score cell -> float or None ('.', '. ', '' and blank are 'no score')."""
    if v is None:
        return None
    if isinstance(v, str):
        s = v.strip()
        if s in ('', '.'):
            return None
        return float(s)
    return float(v)


def clean_header(h):
    return None if h is None else re.sub(r'\s+', ' ', str(h)).strip()


def qcode(h):
    """'A1: information available online?' -> 'A1'; 'G3_5 Translation unclear' -> 'G3_5'."""
    h = clean_header(h)
    if h is None:
        return None
    m = re.match(r'^([A-Z]\d+(?:_\d+)?)(?=[:\s]|$)', h)
    if m:
        return m.group(1)
    if h.lower() == 'mobile friendliness':
        return 'MF'
    return h


# --------------------------------------------------------------------------------------------------
# reading the workbook
# --------------------------------------------------------------------------------------------------

HEADER_ROW = {
    '1. Scores 2022': 6,
    '3a. Nat. Services - Results': 7,
    '3b. Nat. Services - Data': 6,
    '4a. CB Services - Results': 7,
    '4b. CB Services - Data': 7,
    '5. Nat. Portals - Data': 6,
    '6. CB Portals - Data': 6,
}


def read_sheet(wb, name, key=clean_header):
    ws = wb[name]
    hrow = HEADER_ROW[name]
    rows = []
    header = None
    for i, r in enumerate(ws.iter_rows(values_only=True), start=1):
        if i == hrow:
            header = [key(h) for h in r]
            continue
        if header is None or i < hrow:
            continue
        d = {}
        for h, v in zip(header, r):
            if h is not None and h not in d:
                d[h] = v
        if not d.get('Country') or str(d['Country']).strip() == '':
            continue
        d['_row'] = i
        rows.append(d)
    return rows


def read_sheet7(wb):
    """DESI table: rows with a country code in B and a '4aN ...' indicator in D."""
    ws = wb['7. DESI Indicators']
    table, pivot = [], []
    for i, r in enumerate(ws.iter_rows(values_only=True), start=1):
        r = list(r) + [None] * 8
        b, c, d, e, f, g = r[1], r[2], r[3], r[4], r[5], r[6]
        if isinstance(b, str) and re.fullmatch(r'[A-Z]{2}', b or ''):
            if isinstance(d, str) and d.startswith('4a'):
                table.append({'Country': b, 'egov': c, 'desi': d, 'score': e, 'src1': f, 'src2': g, '_row': i})
            elif isinstance(c, (int, float)):
                pivot.append({'Country': b, 'score': c, '_row': i})
    return table, pivot


def read_sheet8(wb):
    ws = wb['8. Indicator Graphs']
    out = []
    for i, r in enumerate(ws.iter_rows(values_only=True), start=1):
        r = list(r) + [None] * 4
        if isinstance(r[1], str) and re.fullmatch(r'[A-Z]{2}', r[1]) and isinstance(r[2], (int, float)):
            out.append({'Country': r[1], 'score': r[2], '_row': i})
    return out


# --------------------------------------------------------------------------------------------------
# rules
# --------------------------------------------------------------------------------------------------

C_Q = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7']          # C8, C9 are pilot questions: not scored
F_Q = ['F1', 'F2', 'F3', 'F4', 'F6', 'F7_1', 'F7_2', 'F8', 'F9']  # F5 not scored
A_Q = ['A1', 'A2', 'A3']                                   # A4, A5 pilot: not scored
G_Q = ['G1', 'G2', 'I1', 'I2', 'I3', 'I4_1', 'I4_2']       # G3_x: barriers, not scored

LE_SHEET1 = {'Economic': 'Regular business operations'}    # 2021 business life event name in sheet 1
BUSINESS_LE = {'Business Start-up', 'Regular business operations', 'Economic'}

# Published service-level values that no rule derives from the raw answers (docs/eu-benchmark.md, "The one irreproducible service value").
# (country, life event, service label, year) -> {3a column: published value}
OVERRIDES_3A = {
    ('NO', 'Family', '1.2 Register child with competent authority', 2022): {'eID': None, 'eDocuments': 0.0},
}


def best(values):
    """'Best answer' over several URLs of one question: any Yes wins, then No, then NR, then '.'."""
    for a in ('Y', 'N', 'NR', '.'):
        if a in values:
            return a
    nums = [v for v in values if isinstance(v, (int, float))]
    return max(nums) if nums else None


def yn(v):
    return 100.0 if v == 'Y' else (0.0 if v == 'N' else None)


# ---- national services (3b -> 3a) -------------------------------------------------------------

def oa_answers(a):
    """Online availability of one URL (or of the best answers of a central service): A1 25 + A2 50 + A3 25."""
    if a.get('A1') not in ('Y', 'N'):
        return None
    return 25.0 * (a['A1'] == 'Y') + 50.0 * (a.get('A2') == 'Y') + 25.0 * (a.get('A3') == 'Y')


def eid_answers(a):
    """eID of one URL: gate F1 = Yes; F2 = No -> 0; else share of Yes among F2,F3,F4 answered Yes/No (NR dropped)."""
    if a.get('F1') != 'Y':
        return None
    if a.get('F2') != 'Y':
        return 0.0
    vals = [a.get(q) for q in ('F2', 'F3', 'F4') if a.get(q) in ('Y', 'N')]
    return 100.0 * sum(v == 'Y' for v in vals) / len(vals)


def edoc_answers(a):
    if a.get('F6') != 'Y':
        return None
    return 100.0 if 'Y' in (a.get('F7_1'), a.get('F7_2')) else 0.0


def pf_answers(a):
    if a.get('F8') != 'Y':
        return None
    return 100.0 if a.get('F9') == 'Y' else 0.0


def sd_central(best_answers):
    return mean([yn(best_answers.get(q)) for q in C_Q])


def sd_local(urls):
    """Per question: Yes count / URLs answering Y, N or NR (NR counts as 0); a question that no URL
    answered Yes or No is dropped.  Service = mean over the remaining questions."""
    scores = []
    for q in C_Q:
        v = [u.get(q) for u in urls]
        if not any(a in ('Y', 'N') for a in v):
            continue
        answered = [a for a in v if a in ('Y', 'N', 'NR')]
        scores.append(100.0 * sum(a == 'Y' for a in answered) / len(answered))
    return mean(scores)


VARIANTS = {   # rejected alternatives, for --variant / --variants (each contradicted by published cells)
    'central_max_url': 'central service = best per-URL score instead of scoring the best answer per question',
    'local_sd_per_url': 'regional/local service delivery = mean of per-URL scores with NR dropped per URL',
    'eid_unrounded': 'service eID not rounded to a whole number (exact thirds)',
    'mf_no_automated': 'proactive services take mobile friendliness from their URL rows, not 100',
    'cb_no_automated': 'proactive cross-border services get no automatic 100 for eID/eDocuments',
    'biennial_of_year_averages': 'biennial = mean of Average (2022) and Average (2021) instead of the mean over all 9 life events',
    'key_enablers_missing_zero': 'a missing key-enabler indicator counts as 0 instead of being left out',
}


def national_service(flags, urls, variant=None):
    """flags: 3a row; urls: list of normalised 3b rows.  Returns {3a column: score or None}."""
    cols = ['Online availability', 'Mobile Friendliness', 'Service delivery', 'eID', 'eDocuments', 'Pre-filed forms']
    out = dict.fromkeys(cols)
    if norm_answer(flags.get('Applicable')) != 'Y':
        return out
    trans = str(flags.get('Service type')).strip() == 'Transactional'
    proactive = norm_answer(flags.get('Proactive')) == 'Y'
    central = str(flags.get('Government level')).strip() == 'Central'
    mf = [u.get('MF') for u in urls if isinstance(u.get('MF'), (int, float))]
    eid_round = (lambda x: x) if variant == 'eid_unrounded' else (lambda x: excel_round(x, 0))
    if proactive:
        out['Online availability'] = 100.0
        out['Mobile Friendliness'] = 100.0 if variant != 'mf_no_automated' else (max(mf) if mf else None)
        if trans:
            for c in cols[2:]:
                out[c] = 100.0
        return out
    if central:   # best answer per question over the URLs, then the scoring rule
        b = {q: best([u.get(q) for u in urls]) for q in A_Q + C_Q + F_Q}
        out['Online availability'] = oa_answers(b)
        out['Mobile Friendliness'] = max(mf) if mf else None
        if trans:
            out['Service delivery'] = sd_central(b)
            out['eID'] = eid_round(eid_answers(b))
            out['eDocuments'] = edoc_answers(b)
            out['Pre-filed forms'] = pf_answers(b)
        if variant == 'central_max_url':
            mx = lambda f: max([x for x in (f(u) for u in urls) if x is not None], default=None)
            out['Online availability'] = mx(oa_answers)
            if trans:
                out['Service delivery'] = mx(sd_central)
                out['eID'] = excel_round(mx(eid_answers), 0)
                out['eDocuments'] = mx(edoc_answers)
                out['Pre-filed forms'] = mx(pf_answers)
    else:         # Regional / Local: mean over the sampled URLs (rows)
        out['Online availability'] = mean([oa_answers(u) for u in urls])
        out['Mobile Friendliness'] = mean(mf)
        if trans:
            out['Service delivery'] = (mean([sd_central(u) for u in urls]) if variant == 'local_sd_per_url'
                                       else sd_local(urls))
            out['eID'] = eid_round(mean([eid_answers(u) for u in urls]))
            out['eDocuments'] = mean([edoc_answers(u) for u in urls])
            out['Pre-filed forms'] = mean([pf_answers(u) for u in urls])
    return out


# ---- cross-border services (4b -> 4a) ----------------------------------------------------------

def cb_oa(a):
    if a.get('G1') not in ('Y', 'N'):
        return None
    if a['G1'] == 'Y':
        return 100.0 if a.get('G2') == 'Y' else 50.0
    return 0.0


def cb_eid(a):
    if a.get('I1') != 'Y':
        return None
    return 100.0 if a.get('I2') == 'Y' else 0.0


def cb_edoc(a):
    if a.get('I3') != 'Y':
        return None
    return 100.0 if 'Y' in (a.get('I4_1'), a.get('I4_2')) else 0.0


def cb_service(flags, urls, variant=None):
    cols = ['Online availability score', 'eID score', 'eDocuments score']
    out = dict.fromkeys(cols)
    if norm_answer(flags.get('Applicable')) != 'Y':
        return out
    trans = str(flags.get('Service type')).strip() == 'Transactional'
    if norm_answer(flags.get('Proactive')) == 'Y' and variant == 'cb_no_automated':
        out['Online availability score'] = 100.0
        if trans:
            b = {q: best([u.get(q) for u in urls]) for q in G_Q}
            out['eID score'], out['eDocuments score'] = cb_eid(b), cb_edoc(b)
        return out
    if norm_answer(flags.get('Proactive')) == 'Y':
        out['Online availability score'] = 100.0
        if trans:
            out['eID score'] = out['eDocuments score'] = 100.0
        return out
    funcs = [('Online availability score', cb_oa), ('eID score', cb_eid), ('eDocuments score', cb_edoc)]
    if str(flags.get('Government level')).strip() == 'Central':
        b = {q: best([u.get(q) for u in urls]) for q in G_Q}
        for c, f in funcs:
            out[c] = f(b)
    else:
        for c, f in funcs:
            out[c] = mean([f(u) for u in urls])
    if not trans:
        out['eID score'] = out['eDocuments score'] = None
    return out


# ---- portals (5, 6) ------------------------------------------------------------------------------

def portal_indicators(urls):
    """National portal URLs of one country x life event x year -> 1.3, 2.2, 2.3, 3.4 (best answer per question)."""
    if not urls:
        return {}
    qs = ['B1', 'B2_1', 'B2_2', 'B3', 'B4', 'B5', 'B6', 'B7', 'D1', 'D2', 'D3', 'D4', 'D5', 'F10', 'F11',
          'E1', 'E2', 'E3', 'E4']
    b = {}
    for q in qs:
        vals = [u.get(q) for u in urls]
        if q in ('D1', 'D5'):
            nums = [v for v in vals if isinstance(v, (int, float))]
            b[q] = max(nums) if nums else None
        else:
            b[q] = best(vals)
    b2 = best([b['B2_1'], b['B2_2']])
    us = mean([yn(b['B1']), yn(b2)] + [yn(b[q]) for q in ('B3', 'B4', 'B5', 'B6', 'B7')])
    d1 = None if b['D1'] is None else b['D1'] / 3 * 100
    d5 = None if b['D5'] is None else b['D5'] / 5 * 100
    pdata = mean([d1] + [yn(b[q]) for q in ('D2', 'D3', 'D4')] + [d5])
    design = mean([yn(b[q]) for q in ('E1', 'E2', 'E3', 'E4')])
    post = mean([yn(b['F10']), yn(b['F11'])])
    return {'1.3 User support': us, '2.2 Transparency of personal data': pdata,
            '2.3 Transparency of service design': design, '3.4 Digital Post': post}


def cb_portal_indicators(urls):
    if not urls:
        return {}
    return {'4.2 Cross-border user support': mean([yn(best([u.get(q) for u in urls])) for q in ('H1', 'H2', 'H3')])}


# ---- life-event indicators, key dimensions ---------------------------------------------------------

def oa_mix(rows, col):
    """0.8 x mean(transactional) + 0.2 x mean(informational).  No informational score -> the
    transactional mean alone; no transactional score -> no score (even if informational ones exist)."""
    t = mean([r[col] for r in rows if r['type'] == 'Transactional'])
    i = mean([r[col] for r in rows if r['type'] == 'Informational'])
    if t is None:
        return None
    return t if i is None else 0.8 * t + 0.2 * i


def life_event_scores(svc, cbs, portal, cbportal):
    o = {}
    o['1.1 Online availability'] = oa_mix(svc, 'Online availability')
    o['1.2 Mobile friendliness'] = mean([r['Mobile Friendliness'] for r in svc])
    o['1.3 User support'] = portal.get('1.3 User support')
    o['2.1 Transparency of service delivery'] = mean([r['Service delivery'] for r in svc])
    o['2.2 Transparency of personal data'] = portal.get('2.2 Transparency of personal data')
    o['2.3 Transparency of service design'] = portal.get('2.3 Transparency of service design')
    o['3.1 eID'] = mean([r['eID'] for r in svc])
    o['3.2 eDocuments'] = mean([r['eDocuments'] for r in svc])
    o['3.3 Pre-filled forms'] = mean([r['Pre-filed forms'] for r in svc])
    o['3.4 Digital Post'] = portal.get('3.4 Digital Post')
    o['4.1 Cross-border online availability'] = oa_mix(cbs, 'Online availability score')
    o['4.2 Cross-border user support'] = cbportal.get('4.2 Cross-border user support')
    o['4.3 Cross-border eID'] = mean([r['eID score'] for r in cbs])
    o['4.4 Cross-border eDocuments'] = mean([r['eDocuments score'] for r in cbs])
    return key_dimensions(o)


def key_dimensions(o):
    usability = wmean([(2 / 3, o['1.3 User support']), (1 / 3, o['1.2 Mobile friendliness'])])
    o['1. User centricity'] = wmean([(2 / 3, o['1.1 Online availability']), (1 / 3, usability)])
    o['2. Transparency'] = mean([o['2.1 Transparency of service delivery'], o['2.2 Transparency of personal data'],
                                 o['2.3 Transparency of service design']])
    o['3. Key Enablers'] = mean([o['3.1 eID'], o['3.2 eDocuments'], o['3.3 Pre-filled forms'], o['3.4 Digital Post']])
    cb_ke = mean([o['4.3 Cross-border eID'], o['4.4 Cross-border eDocuments']])
    o['4. Cross-border services'] = wmean([(0.5, o['4.1 Cross-border online availability']),
                                           (0.25, o['4.2 Cross-border user support']), (0.25, cb_ke)])
    o['0. OVERALL SCORE'] = mean([o['1. User centricity'], o['2. Transparency'], o['3. Key Enablers'],
                                  o['4. Cross-border services']])
    return o


INDICATORS = ['0. OVERALL SCORE', '1. User centricity', '1.1 Online availability', '1.2 Mobile friendliness',
              '1.3 User support', '2. Transparency', '2.1 Transparency of service delivery',
              '2.2 Transparency of personal data', '2.3 Transparency of service design', '3. Key Enablers',
              '3.1 eID', '3.2 eDocuments', '3.3 Pre-filled forms', '3.4 Digital Post', '4. Cross-border services',
              '4.1 Cross-border online availability', '4.2 Cross-border user support', '4.3 Cross-border eID',
              '4.4 Cross-border eDocuments']
BENCHMARKS = ['1. User centricity', '2. Transparency', '3. Key Enablers', '4. Cross-border services']
GOV_LEVEL_SOURCE = {   # sheet-1 indicator -> (service table, column, online-availability mix?)
    '1.1 Online availability': ('nat', 'Online availability', True),
    '1.2 Mobile friendliness': ('nat', 'Mobile Friendliness', False),
    '2.1 Transparency of service delivery': ('nat', 'Service delivery', False),
    '3.1 eID': ('nat', 'eID', False),
    '3.2 eDocuments': ('nat', 'eDocuments', False),
    '3.3 Pre-filled forms': ('nat', 'Pre-filed forms', False),
    '4.1 Cross-border online availability': ('cb', 'Online availability score', True),
    '4.3 Cross-border eID': ('cb', 'eID score', False),
    '4.4 Cross-border eDocuments': ('cb', 'eDocuments score', False),
}


def gov_level_score(rows, col, mix):
    """Pool the services of one government level over BOTH data collections (2021 and 2022)."""
    if mix:
        return oa_mix(rows, col)
    return mean([r[col] for r in rows])


# --------------------------------------------------------------------------------------------------
# comparison bookkeeping
# --------------------------------------------------------------------------------------------------

class Level:
    def __init__(self, name):
        self.name = name
        self.n = self.eq_raw = self.eq_1d = self.eq_bits = 0
        self.dot_agree = self.dot_disagree = 0
        self.maxdiff = 0.0
        self.worst = []

    def add(self, where, pub, calc):
        if pub is None:
            if calc is None:
                self.dot_agree += 1
            else:
                self.dot_disagree += 1
                self.worst.append((float('inf'), where, pub, calc))
            return
        self.n += 1
        if calc is None:
            self.worst.append((float('inf'), where, pub, calc))
            return
        d = abs(pub - calc)
        self.maxdiff = max(self.maxdiff, d)
        if pub == calc:
            self.eq_bits += 1
        if d < 1e-9:
            self.eq_raw += 1
        if excel_round(pub, 1) == excel_round(calc, 1):
            self.eq_1d += 1
        if d >= 1e-9:
            self.worst.append((d, where, pub, calc))

    def report(self, verbose=False, k=5):
        pct = lambda a, b: ('%.1f%%' % (100.0 * a / b)) if b else '-'
        line = ('%-44s compared %5d | equal at 1 dp %5d (%s) | equal unrounded (|d|<1e-9) %5d (%s) [bit-identical %d]'
                ' max|d| %.1e | no-score cells agree %d, disagree %d'
                % (self.name, self.n, self.eq_1d, pct(self.eq_1d, self.n), self.eq_raw, pct(self.eq_raw, self.n),
                   self.eq_bits, self.maxdiff, self.dot_agree, self.dot_disagree))
        print(line)
        w = sorted(self.worst, key=lambda x: -x[0])
        for d, where, pub, calc in w[: (len(w) if verbose else k)]:
            print('      diff %-10s %s  published=%r computed=%r' % ('n/a' if d == float('inf') else '%.3g' % d, where, pub, calc))
        return self


# --------------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------------

def load(path):
    wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    d = {
        's1': read_sheet(wb, '1. Scores 2022'),
        's3a': read_sheet(wb, '3a. Nat. Services - Results'),
        's3b': read_sheet(wb, '3b. Nat. Services - Data', key=qcode),
        's4a': read_sheet(wb, '4a. CB Services - Results'),
        's4b': read_sheet(wb, '4b. CB Services - Data', key=qcode),
        's5': read_sheet(wb, '5. Nat. Portals - Data', key=qcode),
        's6': read_sheet(wb, '6. CB Portals - Data', key=qcode),
        's8': read_sheet8(wb),
    }
    d['desi'], d['desi_pivot'] = read_sheet7(wb)
    return d


def key_of(r, label):
    """Row key shared by 3a/3b and 4a/4b: (country, life event as in sheets 3-6, service label, year)."""
    return (str(r['Country']).strip(), str(r['Life event']).strip(), r[label], int(r['Year data collection']))


HIST_GROUPS = {
    2020: ['Business Start-up (2020)', 'Family (2020)', 'Career (2020)', 'Studying (2020)'],
    2021: ['Regular business operations (2021)', 'Transport (2021)', 'Justice (2021)', 'Moving (2021)', 'Health (2021)'],
    2019: ['Regular business operations (2019)', 'Moving (2019)', 'Owning and driving a car (2019)',
           'Starting a small claims procedure (2019)'],
    2018: ['Business Start-up (2018)', 'Family (2018)', 'Losing and Finding a Job (2018)', 'Studying (2018)'],
    2017: ['Regular business operations (2017)', 'Moving (2017)', 'Owning and driving a car (2017)',
           'Starting a small claims procedure (2017)'],
    2016: ['Business Start-up (2016)', 'Family (2016)', 'Losing and Finding a Job (2016)', 'Studying (2016)'],
}
HIST_BIENNIALS = {   # column -> (year 1, year 2, life-event scores rounded to whole numbers first?)
    'Biennial average 2020 + 2021': (2021, 2020, False), 'Biennial average 2019 + 2020': (2020, 2019, False),
    'Biennial Average 2019 + 2018': (2019, 2018, True), 'Biennial Average 2018 + 2017': (2018, 2017, True),
    'Biennial Average 2017 + 2016': (2017, 2016, True)}


def replay(d, variant=None, override=True):
    """Recompute everything; returns (ordered dict section -> [Level], info dict)."""
    s1, s3a, s3b, s4a, s4b, s5, s6 = (d[k] for k in ('s1', 's3a', 's3b', 's4a', 's4b', 's5', 's6'))
    Q = re.compile(r'^([A-Z]\d+(_\d+)?|MF)$')

    def normalise_urls(rows, label):
        g = collections.defaultdict(list)
        for r in rows:
            g[key_of(r, label)].append({q: norm_answer(v) for q, v in r.items() if isinstance(q, str) and Q.match(q)})
        return g

    urls3 = normalise_urls(s3b, 'Service')
    urls4 = normalise_urls(s4b, 'Service')
    port5, port6 = collections.defaultdict(list), collections.defaultdict(list)
    for rows, port in ((s5, port5), (s6, port6)):
        for r in rows:
            port[(str(r['Country']).strip(), str(r['Life event']).strip(), int(r['Year data collection']))].append(
                {q: norm_answer(v) for q, v in r.items() if isinstance(q, str) and Q.match(q)})
    info = {
        'missing3': [key_of(r, 'Label service') for r in s3a if key_of(r, 'Label service') not in urls3],
        'missing4': [key_of(r, 'Label service') for r in s4a if key_of(r, 'Label service') not in urls4],
    }
    out = collections.OrderedDict()

    # ---------------- service level ----------------
    NAT_COLS = ['Online availability', 'Mobile Friendliness', 'Service delivery', 'eID', 'eDocuments', 'Pre-filed forms']
    CB_COLS = ['Online availability score', 'eID score', 'eDocuments score']
    nat, cbs = [], []
    L_nat = {c: Level('service 3a: ' + c) for c in NAT_COLS}
    for r in s3a:
        k = key_of(r, 'Label service')
        sc = national_service(r, urls3.get(k, []), variant)
        if override and k in OVERRIDES_3A:
            sc.update(OVERRIDES_3A[k])
        for c in NAT_COLS:
            L_nat[c].add(k, score_cell(r[c]), sc[c])
        sc.update(country=k[0], le=k[1], label=k[2], year=k[3], type=str(r['Service type']).strip(),
                  gov=str(r['Government level']).strip())
        nat.append(sc)
    L_cb = {c: Level('service 4a: ' + c) for c in CB_COLS}
    for r in s4a:
        k = key_of(r, 'Label service')
        sc = cb_service(r, urls4.get(k, []), variant)
        for c in CB_COLS:
            L_cb[c].add(k, score_cell(r[c]), sc[c])
        sc.update(country=k[0], le=k[1], label=k[2], year=k[3], type=str(r['Service type']).strip(),
                  gov=str(r['Government level']).strip())
        cbs.append(sc)
    tot = Level('service level, all 9 score columns')
    for L in list(L_nat.values()) + list(L_cb.values()):
        tot.n += L.n; tot.eq_raw += L.eq_raw; tot.eq_1d += L.eq_1d; tot.eq_bits += L.eq_bits
        tot.dot_agree += L.dot_agree; tot.dot_disagree += L.dot_disagree
        tot.maxdiff = max(tot.maxdiff, L.maxdiff); tot.worst += L.worst
    out['Service level (sheets 3a/4a from 3b/4b)'] = list(L_nat.values()) + list(L_cb.values()) + [tot]

    # ---------------- life-event level ----------------
    s1_by = {(r['Country'], r['Scoring']): r for r in s1}
    # countries with raw data (the full workbook's AVERAGE_EU27 / EU27+ rows are aggregates: skipped)
    countries = sorted({str(r['Country']).strip() for r in s3a})
    groups = collections.defaultdict(lambda: {'nat': [], 'cb': []})
    for rec in nat:
        groups[(rec['country'], rec['le'], rec['year'])]['nat'].append(rec)
    for rec in cbs:
        groups[(rec['country'], rec['le'], rec['year'])]['cb'].append(rec)
    le_scores = {}           # (country, sheet-1 column) -> {indicator: score}
    for (c, le, y) in sorted(set(groups) | set(port5) | set(port6)):
        g = groups[(c, le, y)]
        o = life_event_scores(g['nat'], g['cb'], portal_indicators(port5.get((c, le, y), [])),
                              cb_portal_indicators(port6.get((c, le, y), [])))
        if variant == 'key_enablers_missing_zero':
            o['3. Key Enablers'] = sum(o[i] or 0.0 for i in ('3.1 eID', '3.2 eDocuments', '3.3 Pre-filled forms',
                                                             '3.4 Digital Post')) / 4
            o['0. OVERALL SCORE'] = mean([o[b] for b in BENCHMARKS])
        o['_business'] = le in BUSINESS_LE
        o['_year'] = y
        le_scores[(c, '%s (%d)' % (LE_SHEET1.get(le, le), y))] = o
    info['le_columns'] = sorted({col for _, col in le_scores})

    L_ind = Level('indicators per life event (14 x LE)')
    L_bm = Level('key dimensions per life event (4 x LE)')
    L_ov = Level('overall score per life event')
    for (c, col), o in sorted(le_scores.items()):
        for ind in INDICATORS:
            pub = score_cell(s1_by[(c, ind)][col])
            L = L_ov if ind == '0. OVERALL SCORE' else (L_bm if ind in BENCHMARKS else L_ind)
            L.add((c, col, ind), pub, o[ind])
    out['Life-event level (sheet 1, 2022 and 2021 life-event columns)'] = [L_ind, L_bm, L_ov]

    # ---------------- country aggregates ----------------
    L_avg = Level('Average (2022) / Average (2021)')
    L_bi = Level('Biennial average 2021 + 2022')
    L_bc = Level('Business / Citizen life events 2021 + 2022')
    L_gov = Level('Central / Regional / Local')
    for c in countries:
        mine = [o for (cc, _), o in le_scores.items() if cc == c]
        for ind in INDICATORS:
            r = s1_by[(c, ind)]
            avg = {y: mean([o[ind] for o in mine if o['_year'] == y]) for y in (2022, 2021)}
            for y in (2022, 2021):
                L_avg.add((c, ind, y), score_cell(r['Average (%d)' % y]), avg[y])
            biennial = mean([o[ind] for o in mine])
            if variant == 'biennial_of_year_averages':
                biennial = mean([avg[2022], avg[2021]])
            L_bi.add((c, ind), score_cell(r['Biennial average 2021 + 2022']), biennial)
            L_bc.add((c, ind, 'business'), score_cell(r['Business life events 2021 + 2022']),
                     mean([o[ind] for o in mine if o['_business']]))
            L_bc.add((c, ind, 'citizen'), score_cell(r['Citizen life events 2021 + 2022']),
                     mean([o[ind] for o in mine if not o['_business']]))
            for lvl in ('Central', 'Regional', 'Local'):
                calc = None
                if ind in GOV_LEVEL_SOURCE:
                    table, colname, mix = GOV_LEVEL_SOURCE[ind]
                    rows = [x for x in (nat if table == 'nat' else cbs) if x['country'] == c and x['gov'] == lvl]
                    calc = gov_level_score(rows, colname, mix)
                L_gov.add((c, ind, lvl), score_cell(r[lvl]), calc)

    def bi(c, ind, sel=None):
        mine = [o for (cc, _), o in le_scores.items() if cc == c]
        if sel is not None:
            mine = [o for o in mine if o['_business'] == (sel == 'business')]
        return mean([o[ind] for o in mine])
    DESI_RULE = {
        '4a2': lambda c: mean([bi(c, '1.1 Online availability', 'citizen'), bi(c, '4.1 Cross-border online availability', 'citizen')]),
        '4a3': lambda c: mean([bi(c, '1.1 Online availability', 'business'), bi(c, '4.1 Cross-border online availability', 'business')]),
        '4a4': lambda c: bi(c, '3.3 Pre-filled forms'),
        '4a5': lambda c: bi(c, '2. Transparency'),
        '4a6': lambda c: mean([bi(c, '1.3 User support'), bi(c, '4.2 Cross-border user support')]),
        '4a7': lambda c: bi(c, '1.2 Mobile friendliness'),
    }
    L_desi = Level('sheet 7 DESI indicators + sheet 8 graph')
    for x in d['desi']:
        L_desi.add((x['Country'], x['desi']), score_cell(x['score']), DESI_RULE[x['desi'].split()[0]](x['Country']))
    for x in d['desi_pivot']:     # the pivot as saved shows 4a2
        L_desi.add((x['Country'], 'pivot 4a2'), score_cell(x['score']), DESI_RULE['4a2'](x['Country']))
    for x in d['s8']:
        L_desi.add((x['Country'], 'sheet 8 overall biennial'), score_cell(x['score']), bi(x['Country'], '0. OVERALL SCORE'))
    out['Country level (sheet 1; sheets 7, 8)'] = [L_avg, L_bi, L_bc, L_gov, L_desi]

    # ---------------- history: only derivable from the published life-event columns ----------------
    L_havg = Level('Average (2016..2020) from LE columns')
    L_hbi = Level('Biennials (2016..2021) from LE columns')
    n_hist_le = 0
    for c in countries:
        for ind in INDICATORS:
            r = s1_by[(c, ind)]
            for y in (2020, 2019, 2018, 2017, 2016):
                L_havg.add((c, ind, y), score_cell(r['Average (%d)' % y]), mean([score_cell(r[x]) for x in HIST_GROUPS[y]]))
                n_hist_le += sum(score_cell(r[x]) is not None for x in HIST_GROUPS[y])
            for b, (y1, y2, whole) in HIST_BIENNIALS.items():
                vals = [score_cell(r[x]) for x in HIST_GROUPS[y1] + HIST_GROUPS[y2]]
                if whole:     # 2016-2019 editions: life-event scores rounded to whole numbers first
                    vals = [excel_round(v, 0) for v in vals]
                L_hbi.add((c, ind, b), score_cell(r[b]), mean(vals))
    out['History 2016-2020 (no raw data; re-derived from published life-event columns of sheet 1)'] = [L_havg, L_hbi]
    info['n_hist_le'] = n_hist_le
    info['s1_by'] = s1_by
    return out, info


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('xlsx', nargs='?', default=DEFAULT_XLSX)
    ap.add_argument('--expected', default=DEFAULT_CSV if os.path.exists(DEFAULT_CSV) else None,
                    help='expected-*.csv: account for every published sheet-1 value')
    ap.add_argument('--no-override', action='store_true', help='do not apply OVERRIDES_3A (shows its downstream effect)')
    ap.add_argument('--variant', choices=sorted(VARIANTS), help='run the whole chain with one rejected alternative rule')
    ap.add_argument('--variants', action='store_true', help='summary: how every rejected alternative fares, per level')
    ap.add_argument('-v', '--verbose', action='store_true', help='list every difference')
    args = ap.parse_args()

    d = load(args.xlsx)
    out, info = replay(d, variant=args.variant, override=not args.no_override)
    print('workbook: %s' % args.xlsx)
    print('rows: 1=%d 3a=%d 3b=%d 4a=%d 4b=%d 5=%d 6=%d' % tuple(len(d[k]) for k in ('s1', 's3a', 's3b', 's4a', 's4b', 's5', 's6')))
    print('3a services without 3b URL rows: %d; 4a services without 4b URL rows: %d' % (len(info['missing3']), len(info['missing4'])))
    print('service-level overrides: %s' % ('none (--no-override)' if args.no_override else
          '; '.join('%s/%s/%s/%d -> %s' % (k + (v,)) for k, v in OVERRIDES_3A.items())))
    if args.variant:
        print('VARIANT (rejected rule): %s = %s' % (args.variant, VARIANTS[args.variant]))
    print('compared = published numeric cells; "1 dp" = both rounded half-up to one decimal; '
          '"unrounded" = |published - computed| < 1e-9')
    for section, levels in out.items():
        print('\n== %s ==' % section)
        for L in levels:
            L.report(args.verbose)
    print('%-44s %5d published values (life-event columns 2016-2020): no raw data in the workbook'
          % ('not reproducible', info['n_hist_le']))

    if args.variants:
        print('\n== Rejected alternative rules: published cells they get wrong (at 1 dp, incl. score/no-score), per level ==')
        names = [L.name for levels in out.values() for L in levels]
        rows = []
        for var in sorted(VARIANTS):
            o2, _ = replay(d, variant=var, override=not args.no_override)
            flat = [L for levels in o2.values() for L in levels]
            bad = [(L.name, L.n - L.eq_1d + L.dot_disagree) for L in flat
                   if L.n - L.eq_1d + L.dot_disagree and not L.name.startswith('service level, all')]
            print('   %-26s %s' % (var, VARIANTS[var]))
            print('   %-26s -> %s' % ('', '; '.join('%s: %d wrong' % b for b in bad) or 'no difference'))

    if args.expected:
        s1_by = info['s1_by']
        raw_cols = set(info['le_columns']) | {'Average (2022)', 'Average (2021)', 'Biennial average 2021 + 2022',
                                               'Business life events 2021 + 2022', 'Citizen life events 2021 + 2022',
                                               'Central', 'Regional', 'Local'}
        hist_derived = {'Average (%d)' % y for y in (2016, 2017, 2018, 2019, 2020)} | set(HIST_BIENNIALS)
        counts = collections.Counter()
        csv_vs_sheet = 0
        with open(args.expected, newline='') as f:
            for row in csv.DictReader(f):
                col = clean_header(row['column'])
                cell = score_cell(s1_by[(row['country'], row['indicator'])][col])
                csv_vs_sheet += cell is None or float(row['value']) != cell
                if col in raw_cols:
                    counts['recomputed from raw answers (levels above)'] += 1
                elif col in hist_derived:
                    counts['re-derived from published 2016-2021 LE columns'] += 1
                else:
                    counts['not reproducible (2016-2020 LE values)'] += 1
        print('\n== expected csv (%s): %d published values ==' % (os.path.basename(args.expected), sum(counts.values())))
        for k, v in counts.items():
            print('   %-56s %5d' % (k, v))
        print('   csv values differing from the sheet-1 cells: %d' % csv_vs_sheet)


if __name__ == '__main__':
    main()
