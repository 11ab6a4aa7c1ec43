// Durability audit of the tiered log (issue 9 item 6).
export {};
