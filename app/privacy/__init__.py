"""Personal data (个人信息保护法, GB/T 35273-2020): ID numbers and phones validated, encrypted at
rest, found through a keyed hash, and masked in everything the service answers or writes down."""
