"""A one-row services.csv renaming the first service of another: what an editor's import of one
change looks like. Usage: python3 bench/rename_service.py SERVICES_CSV OUT_CSV NEW_NAME"""
import csv
import sys

rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
head, row = rows[0], rows[1]
row[head.index("name_en")] = sys.argv[3]
w = csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8"))
w.writerow(head)
w.writerow(row)
