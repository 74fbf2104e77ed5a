import { describe, expect, it } from "vitest";

import { amountProblem, formatMinutes, formatMoney, formatMonth, formatRate, formatRunway, recentMonths } from "./money";

describe("money as the billing API sends it", () => {
  it("shows amounts in dollars with the sign in front", () => {
    expect(formatMoney("12.50", "USD")).toBe("$12.50");
    expect(formatMoney("-3.00", "USD")).toBe("-$3.00");
    expect(formatMoney("1234.05")).toBe("$1,234.05");
  });

  it("keeps an amount it cannot read as it came, with its currency", () => {
    expect(formatMoney("n/a", "USD")).toBe("n/a USD");
  });

  it("shows metered rates with as many decimals as they need", () => {
    expect(formatRate("0.012000", "USD")).toBe("$0.012");
    expect(formatRate("0.350000", "USD")).toBe("$0.35");
    expect(formatRate("0.000000", "USD")).toBe("$0.00");
  });
});

describe("the runway, for people", () => {
  it.each([
    [null, "no charges running"],
    [0, "used up"],
    [0.4, "less than an hour"],
    [1, "about 1 hour"],
    [5.6, "about 6 hours"],
    [70, "about 3 days"],
    [24 * 20, "about 3 weeks"],
    [24 * 95, "about 3 months"],
    [24 * 1000, "more than 2 years"],
  ])("%s hours read as %s", (hours, text) => {
    expect(formatRunway(hours)).toBe(text);
  });
});

describe("metered time", () => {
  it("is minutes under an hour, hours with a decimal above", () => {
    expect(formatMinutes(45)).toBe("45 min");
    expect(formatMinutes(60)).toBe("1 h");
    expect(formatMinutes(150)).toBe("2.5 h");
    expect(formatMinutes(6000)).toBe("100 h");
  });
});

describe("the amount typed into the add-funds form", () => {
  it("accepts dollars with up to two decimals", () => {
    expect(amountProblem("25")).toBeNull();
    expect(amountProblem(" 12.50 ")).toBeNull();
  });

  it("says what is wrong with anything else", () => {
    expect(amountProblem("")).toBe("Enter an amount.");
    expect(amountProblem("12.345")).toMatch(/like 25 or 12.50/);
    expect(amountProblem("-5")).toMatch(/like 25 or 12.50/);
    expect(amountProblem("ten")).toMatch(/like 25 or 12.50/);
    expect(amountProblem("0.00")).toBe("Enter an amount above zero.");
  });
});

describe("usage months", () => {
  it("lists the last months newest first, across the year boundary", () => {
    expect(recentMonths(new Date("2026-02-14T12:00:00Z"), 4)).toEqual(["2026-02", "2026-01", "2025-12", "2025-11"]);
  });

  it("names a month", () => {
    expect(formatMonth("2026-11")).toBe("November 2026");
    expect(formatMonth("garbage")).toBe("garbage");
  });
});
