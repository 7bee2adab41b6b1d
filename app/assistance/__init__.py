"""Key-group assistance ledgers (重点群体帮扶台账): graduates in difficulty, the services given
them, the standards they are owed, and the figures of it all."""
