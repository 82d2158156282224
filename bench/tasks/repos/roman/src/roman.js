// Roman numerals.
