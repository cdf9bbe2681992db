/* src/json.h - placeholder */
