/** Name of the file a running sandbox writes into its root folder, for other processes to find it. */
export const CONNECTION_FILE_NAME = "sandbox.json";
