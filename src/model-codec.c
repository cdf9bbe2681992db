/* src/model-codec.c - placeholder, being written */
extern int covopt_placeholder_model_codec;
