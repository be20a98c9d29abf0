/** Optimized sagemaker integration: known to the analysis, not run by the sandbox. */
import { optimizedService } from "../define";

export const sagemaker = optimizedService({
  service: "sagemaker",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-sagemaker.html",
  patterns: ["request-response", "sync"],
  syncActions: ["createTrainingJob", "createTransformJob", "createProcessingJob", "createHyperParameterTuningJob", "createLabelingJob"],
  jobs: {
    createTrainingJob: { label: "SageMaker training job", sdk: ["sagemaker:createTrainingJob"] },
    createTransformJob: { label: "SageMaker transform job", sdk: ["sagemaker:createTransformJob"] },
    createProcessingJob: { label: "SageMaker processing job", sdk: ["sagemaker:createProcessingJob"] },
    createHyperParameterTuningJob: { label: "SageMaker tuning job", sdk: ["sagemaker:createHyperParameterTuningJob"] },
  },
});
