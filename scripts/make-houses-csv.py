#!/usr/bin/env python3
"""Writes resources/examples/houses.csv: a made-up but plausible table of house sales for the CSV
example. Two targets depend on the same features: price_keur (regression) and energy_class
(A–G, classification). Some values are missing (NA or empty); addresses hold commas and quotes.
Deterministic: the same file every time."""
import csv
import math
import random

random.seed(2026)
CITIES = {"Paris": 9.5, "Lyon": 5.0, "Nantes": 3.8, "Lille": 3.4}
STREETS = ["rue Victor Hugo", "avenue de la République", "boulevard \"Les Tilleuls\"", "quai des Chartrons"]

with open("resources/examples/houses.csv", "w", newline="") as f:
    out = csv.writer(f)
    out.writerow(["id", "address", "city", "area_m2", "rooms", "year_built", "garden",
                  "distance_km", "price_keur", "energy_class"])
    for i in range(3000):
        city = random.choice(list(CITIES))
        area = round(random.uniform(25, 220), 1)
        rooms = max(1, min(8, int(area / 28 + random.gauss(0, 0.8))))
        year = random.randint(1890, 2023)
        garden = random.random() < (0.2 if city == "Paris" else 0.55)
        distance = round(random.expovariate(1 / 6) + 0.3, 2)
        price = (CITIES[city] * area * (1.15 if garden else 1.0) * math.exp(-distance / 25)
                 * (1.0 + (year - 1960) / 400) + random.gauss(0, 25))
        insulation = (year - 1890) / 133 + (0.15 if area < 60 else 0) + random.gauss(0, 0.12)
        energy = "GFEDCBA"[max(0, min(6, int(insulation * 7)))]
        row = [f"H{i:05d}", f"{random.randint(1, 180)}, {random.choice(STREETS)}", city, area, rooms,
               year, "yes" if garden else "no", distance, round(price, 1), energy]
        if random.random() < 0.04:
            row[5] = "NA"      # year unknown
        if random.random() < 0.03:
            row[6] = ""        # garden not recorded
        if random.random() < 0.05:
            row[8] = "NA"      # not sold yet: price missing, energy class still known
        if random.random() < 0.03:
            row[9] = "?"       # energy audit missing
        out.writerow(row)
