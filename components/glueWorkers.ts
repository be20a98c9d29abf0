/**
 * Glue's Spark workers, one fact each, for the component's checks, the sandbox's GetJobRun and the cost model.
 *
 * AWS Glue API Reference, CreateJob, WorkerType: "Accepts a value of G.1X, G.2X, G.4X, G.8X or G.025X for Spark
 * jobs"; G.1X maps to 1 DPU (4 vCPUs, 16 GB), G.2X to 2, G.4X to 4, G.8X to 8; G.025X (0.25 DPU) "is only available
 * for Glue version 3.0 or later streaming jobs", so a batch Spark job (glueetl) takes the other four.
 */
export const DPU_PER_WORKER: Readonly<Record<string, number>> = { "G.1X": 1, "G.2X": 2, "G.4X": 4, "G.8X": 8 };

export const SPARK_WORKER_TYPES: readonly string[] = Object.keys(DPU_PER_WORKER);

/**
 * AWS Glue Developer Guide, "Configuring job properties for Spark jobs", Requested number of workers: a Spark job
 * runs a driver and at least one executor, so it takes at least 2 workers.
 */
export const MIN_SPARK_WORKERS = 2;

/** AWS Glue 5.0: Spark 3.5.4, Python 3.11, Java 17 (AWS Glue Developer Guide, "AWS Glue versions"). */
export const SPARK_GLUE_VERSION = "5.0";
