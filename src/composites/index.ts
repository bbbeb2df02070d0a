export { square, mean, mseLoss, crossEntropy } from "./basic.js";
