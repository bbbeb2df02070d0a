export { square, mean, softmax, logSoftmax, mseLoss, crossEntropy } from "./basic.js";
