/* src/record.h - placeholder */
