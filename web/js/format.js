// Number formatting shared by the two pages.
//
// Design: amounts arrive as decimal strings (totals reach 2^137, beyond
// JavaScript numbers), so every conversion is exact BigInt arithmetic;
// floating point is used only to size chart bars.

export const USD_DECIMALS = 16; // TotalEquity/TotalDebt of a user are USD x 10^16 (spec §4.3)
export const AMOUNT_DECIMALS = 8; // asset amounts are coin units x 10^8; BasePrice is USD x 10^8

// Decimal text of the integer string s divided by 10^decimals, with
// thousands separators, trailing zeros trimmed to at least minFrac digits.
export function scaled(s, decimals, minFrac = 0) {
  let v = BigInt(s);
  const neg = v < 0n;
  if (neg) v = -v;
  const base = 10n ** BigInt(decimals);
  const int = (v / base).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  let frac = (v % base).toString().padStart(decimals, '0').replace(/0+$/, '');
  while (frac.length < minFrac) frac += '0';
  return (neg ? '−' : '') + int + (frac ? '.' + frac : '');
}

// USD text of s (USD x 10^16): exact, and rounded to cents (half up) for
// the headline figure; "< $0.01" when a non-zero value rounds to zero.
export function usd(s) {
  let v = BigInt(s);
  const sign = v < 0n ? '−' : '';
  if (v < 0n) v = -v;
  const exact = sign + '$' + scaled(v.toString(), USD_DECIMALS, 2);
  const unit = 10n ** BigInt(USD_DECIMALS - 2);
  const cents = (v + unit / 2n) / unit;
  const rounded = cents === 0n && v !== 0n ? '< $0.01' : sign + '$' + scaled(cents.toString(), 2, 2);
  return { exact, rounded };
}

export const amount = (s) => scaled(s, AMOUNT_DECIMALS);
